using Orchestrator.Cli.Api;
using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli;

/// <summary>
/// The whole CLI behind one testable entry point: parses, dispatches, and turns every failure into a one-line
/// message and an exit code. Nothing here writes to <see cref="Console"/> directly.
/// </summary>
public static class CliApp
{
    private const string ApiEnvironmentVariable = "ORCHESTRATOR_API";

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        HttpMessageHandler? handler = null,
        CliSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        settings ??= CliSettings.Default;
        var specs = CommandCatalog.All.Select(c => c.Spec).ToList();

        ParsedArguments parsed;
        Uri api;
        try
        {
            parsed = CommandLineParser.Parse(RewriteHelpCommand(args), specs);
            if (parsed.Help || parsed.Command is null)
            {
                return ShowHelp(parsed, specs, stdout, stderr);
            }

            api = ResolveApi(parsed, settings);
        }
        catch (UsageException e)
        {
            return UsageError(e, stderr);
        }

        var command = CommandCatalog.All.Single(c => c.Spec == parsed.Command);
        using var http = OrchestratorApiClient.CreateHttpClient(api, handler, settings.RequestTimeout);
        var context = new CommandContext(stdout, stderr, new OrchestratorApiClient(http), settings, cancellationToken);

        try
        {
            return await command.RunAsync(parsed, context);
        }
        catch (UsageException e)
        {
            return UsageError(e, stderr);
        }
        catch (OrchestratorApiException e)
        {
            await stderr.WriteLineAsync($"error: {Text.OneLine(e.Message)}");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Last resort: still one line and exit 3, never a stack trace in the user's face.
            await stderr.WriteLineAsync($"error: unexpected {e.GetType().Name}: {Text.OneLine(e.Message)}");
            return ExitCodes.Error;
        }
    }

    // `orchestrator help [command]` is the same as `orchestrator [command] --help`.
    private static string[] RewriteHelpCommand(string[] args) =>
        args is ["help", .. var rest] ? [.. rest, CommandLineParser.HelpOption] : args;

    private static int ShowHelp(ParsedArguments parsed, IReadOnlyList<CommandSpec> specs, TextWriter stdout, TextWriter stderr)
    {
        if (parsed.Command is { } command)
        {
            stdout.Write(UsageText.ForCommand(command));
            return ExitCodes.Success;
        }

        if (parsed.Help)
        {
            stdout.Write(UsageText.General(specs));
            return ExitCodes.Success;
        }

        return UsageError(new UsageException("no command given"), stderr);
    }

    private static Uri ResolveApi(ParsedArguments parsed, CliSettings settings)
    {
        var raw = parsed.Api ?? settings.GetEnvironmentVariable(ApiEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return settings.DefaultApi;
        }

        var source = parsed.Api is null ? ApiEnvironmentVariable : CommandLineParser.ApiOption;
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"{source} must be an http:// or https:// URL, not '{raw}'", parsed.Command?.Name);
        }

        // Relative paths resolve under the base only when it ends with '/', which an API under a path prefix needs.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static int UsageError(UsageException e, TextWriter stderr)
    {
        stderr.WriteLine($"error: {Text.OneLine(e.Message)}");
        stderr.WriteLine(UsageText.Hint(e.Command));
        return ExitCodes.Error;
    }
}
