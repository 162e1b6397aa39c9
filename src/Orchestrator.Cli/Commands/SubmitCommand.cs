using System.CommandLine;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator submit</c>: sends a feature request and prints its id, optionally watching it.</summary>
internal sealed class SubmitCommand : ApiCommand
{
    private readonly ValueOption<string> _repository = TextOption.Required(
        "--repository", "url-or-path", "Git repository to change (clone URL or local path).");

    private readonly ValueOption<string> _request = TextOption.Required(
        "--request", "text", "The feature request, in plain language; @file reads it from that file.");

    private readonly ValueOption<string> _baseBranch = TextOption.Optional(
        "--base", "branch", "Branch to start from and target with the pull request (default main).");

    private readonly ValueOption<string> _script = TextOption.Optional(
        "--script", "name", "Drive the feature with a scripted demo model (e.g. demo-power) instead of an AI.");

    private readonly ValueOption<string> _model = TextOption.Optional(
        "--model", "name", "The model the configured endpoint should use (default: the endpoint's own).");

    private readonly ValueOption<long?> _tokenBudget = TokenBudgetOption.Create(
        "Most tokens (input and output) the feature may spend (default: the server's).");

    private readonly FlagOption _approvePlan = new(
        "--approve-plan", "Stop after planning until the plan is approved ('orchestrator approve <id>') or rejected.");

    private readonly FlagOption _noReview = new(
        "--no-review", "Open the pull request once verified, without the Reviewer agent's review (default: the server's, normally on).");

    private readonly FlagOption _watch = new("--watch", "Keep following the feature like 'watch' does.");

    private readonly WatchOptionSymbols _watchOptions = new(
        $"With --watch: poll interval (default {WatchOptions.DefaultIntervalMs}).",
        "With --watch: stop watching after this long (exit 3).");

    private readonly OutputFormatOptions _format = new(
        "Print the submitted feature as one JSON object; with --watch, then the watch's JSON lines.");

    public SubmitCommand(ApiConnection connection)
        : base("submit", "Submit a feature request; prints the feature id.", connection)
    {
        HelpDetails = "The first line printed is the feature id alone, so scripts can capture it (with --json: the 'id' of\n"
            + "the first object). With --watch, the watch prints as 'orchestrator watch --help' describes.";
        Options.Add(_repository);
        Options.Add(_request);
        Options.Add(_baseBranch);
        Options.Add(_script);
        Options.Add(_model);
        Options.Add(_tokenBudget);
        Options.Add(_approvePlan);
        Options.Add(_noReview);
        Options.Add(_watch);
        _watchOptions.AddTo(this);
        _format.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var watchSettings = _watchOptions.Read(parseResult);
        var (request, problem) = await RequestTextAsync(parseResult.GetRequiredValue(_request), context.CancellationToken);
        if (problem is not null)
        {
            await context.Stderr.WriteLineAsync($"error: {Text.OneLine(problem)}");
            return ExitCodes.Error;
        }

        var featureRequest = new SubmitFeatureRequest(
            Repository(parseResult.GetRequiredValue(_repository)),
            parseResult.GetValue(_baseBranch) is { Length: > 0 } branch ? branch : "main",
            request!,
            parseResult.GetValue(_script) is { Length: > 0 } scriptName ? scriptName : null,
            parseResult.GetValue(_approvePlan) ? true : null,
            parseResult.GetValue(_model) is { Length: > 0 } model ? model : null,
            parseResult.GetValue(_tokenBudget))
        {
            Review = parseResult.GetValue(_noReview) ? false : null,
        };

        var format = _format.Read(parseResult, context.Terminal);
        var submitted = await context.Api.SubmitAsync(featureRequest, context.CancellationToken);
        var id = FeatureId(submitted);

        await WriteSubmittedAsync(context.Stdout, id, submitted, format);
        if (parseResult.GetValue(_watch))
        {
            return await FeatureWatcher.For(context, watchSettings, format).WatchAsync(id, submitted.Feature);
        }

        if (format == OutputFormat.Json)
        {
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync($"model: {ModelLabel.For(submitted.Feature)}");
        await context.Stdout.WriteLineAsync($"follow it with: orchestrator watch {id}");
        if (parseResult.GetValue(_approvePlan))
        {
            await context.Stdout.WriteLineAsync($"once planned, it waits for: orchestrator approve {id} (or reject {id})");
        }

        if (watchSettings.SummaryJson)
        {
            await context.Stdout.WriteLineAsync(SummaryJson.Write(submitted.Feature));
        }

        return ExitCodes.Success;
    }

    private static async Task WriteSubmittedAsync(TextWriter stdout, string id, SubmittedFeature submitted, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(ProgressJson.Submitted(id, submitted.Location, submitted.Feature));
            return;
        }

        await stdout.WriteLineAsync(id);
        if (submitted.Location is { } location)
        {
            await stdout.WriteLineAsync($"Location: {location}");
        }
    }

    /// <summary>
    /// The request as given, or the content of the file <c>@path</c> names (a long request, written in an editor). Text
    /// that starts with @ but names no file ("@team add Power") is a request like any other.
    /// </summary>
    private static async Task<(string? Request, string? Problem)> RequestTextAsync(string given, CancellationToken cancellationToken)
    {
        var path = given.StartsWith('@') ? given[1..] : null;
        if (path is null || !File.Exists(path))
        {
            return (given, null);
        }

        try
        {
            return (await File.ReadAllTextAsync(path, cancellationToken), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"cannot read the request file '{path}': {e.Message}");
        }
    }

    /// <summary>
    /// The API runs in its own working directory, so an existing relative local path is made absolute here;
    /// URLs and anything that is not a local directory are passed through untouched.
    /// </summary>
    private static string Repository(string value)
    {
        var looksLikeUrl = value.Contains("://", StringComparison.Ordinal) || value.StartsWith("git@", StringComparison.Ordinal);
        return !looksLikeUrl && Directory.Exists(value) ? Path.GetFullPath(value) : value;
    }

    private static string FeatureId(SubmittedFeature submitted)
    {
        if (!string.IsNullOrWhiteSpace(submitted.Feature.Id))
        {
            return submitted.Feature.Id;
        }

        // Fall back on the Location header, which names the feature too.
        return submitted.Location?.Segments.LastOrDefault()?.Trim('/') is { Length: > 0 } fromLocation
            ? fromLocation
            : throw new OrchestratorApiException("the API accepted the feature but reported no id");
    }
}
