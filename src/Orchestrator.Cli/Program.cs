using System.Text;
using Orchestrator.Cli;
using Orchestrator.Cli.Output;

// Progress lines use '→' and '…'; make sure terminals that default to another code page show them.
Console.OutputEncoding = Encoding.UTF8;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops watching cleanly; a second one kills the process the usual way.
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

return await CliApp.RunAsync(
    args, Console.Out, Console.Error, cancellationToken: interrupt.Token, terminal: StdoutTerminal.Detect());
