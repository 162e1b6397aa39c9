using Orchestrator.Cli.Api;
using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator submit</c>: sends a feature request and prints its id, optionally watching it.</summary>
internal sealed class SubmitCommand : ICommand
{
    private const string RepositoryOption = "--repository";
    private const string RequestOption = "--request";
    private const string BaseOption = "--base";
    private const string ScriptOption = "--script";
    private const string WatchOption = "--watch";

    public CommandSpec Spec { get; } = new(
        "submit",
        "Submit a feature request; prints the feature id.",
        [],
        [
            new(RepositoryOption, "url-or-path", "Git repository to change (clone URL or local path).", Required: true),
            new(RequestOption, "text", "The feature request, in plain language.", Required: true),
            new(BaseOption, "branch", "Branch to start from and target with the pull request (default main)."),
            new(ScriptOption, "name", "Drive the feature with a scripted demo model (e.g. demo-power) instead of an AI."),
            new(WatchOption, null, "Keep following the feature like 'watch' does."),
            new(WatchOptions.SummaryJsonOption, null, "End with one compact JSON line summarising the result."),
            new(WatchOptions.IntervalOption, "ms", $"With --watch: poll interval (default {WatchOptions.DefaultIntervalMs})."),
            new(WatchOptions.TimeoutOption, "seconds", "With --watch: stop watching after this long (exit 3)."),
        ],
        "The first line printed is the feature id alone, so scripts can capture it.");

    public async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        // Read every option before submitting so a bad --interval-ms cannot leave a feature submitted but unwatched.
        var watch = args.Flag(WatchOption);
        var watchOptions = WatchCommand.ReadOptions(args);
        var request = new SubmitFeatureRequest(
            Repository(args.Value(RepositoryOption)!),
            args.Value(BaseOption) is { Length: > 0 } branch ? branch : "main",
            args.Value(RequestOption)!,
            args.Value(ScriptOption) is { Length: > 0 } script ? script : null);

        var submitted = await context.Api.SubmitAsync(request, context.CancellationToken);
        var id = FeatureId(submitted);

        await context.Stdout.WriteLineAsync(id);
        if (submitted.Location is { } location)
        {
            await context.Stdout.WriteLineAsync($"Location: {location}");
        }

        if (watch)
        {
            return await new FeatureWatcher(context, watchOptions).WatchAsync(id, submitted.Feature);
        }

        await context.Stdout.WriteLineAsync($"model: {ModelLabel.For(submitted.Feature)}");
        await context.Stdout.WriteLineAsync($"follow it with: orchestrator watch {id}");
        if (watchOptions.SummaryJson)
        {
            await context.Stdout.WriteLineAsync(SummaryJson.Write(submitted.Feature));
        }

        return ExitCodes.Success;
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
