using System.CommandLine;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// A subcommand that calls the Orchestrator API. Its action opens a client on the address <c>--api</c> resolved
/// while parsing, with the key <c>--api-key</c> resolved, and hands the command everything it needs in a
/// <see cref="CommandContext"/>.
/// </summary>
internal abstract class ApiCommand : Command
{
    private readonly ApiConnection _connection;

    protected ApiCommand(string name, string summary, ApiConnection connection)
        : base(name, summary)
    {
        _connection = connection;
        SetAction(InvokeAsync);
    }

    /// <summary>Shown at the end of the command's help.</summary>
    public string? HelpDetails { get; init; }

    /// <summary>Returns the exit code; API exceptions are left to <see cref="CliApp"/> to report.</summary>
    protected abstract Task<int> RunAsync(ParseResult parseResult, CommandContext context);

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = _connection.Settings;
        var address = parseResult.GetRequiredValue(_connection.Address);
        var key = parseResult.GetValue(_connection.Key);
        using var http = OrchestratorApiClient.CreateHttpClient(address, key, _connection.Handler, settings.RequestTimeout);
        var output = parseResult.InvocationConfiguration;
        var context = new CommandContext(
            output.Output, output.Error, _connection.Terminal, new OrchestratorApiClient(http), settings, cancellationToken);
        return await RunAsync(parseResult, context);
    }
}
