using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Everything that leaves the system or that a person or a model reads, as text by where it was found: the target
/// repository, the pull request, the API, the services' logs, the bus and the prompts; and the files the services
/// leave behind (state, cassettes); and the telemetry they export (to the dashboard; here the test's OTLP collector). A
/// secret in none of these has not leaked.
/// </summary>
public sealed partial class LeakSinks
{
    private readonly Dictionary<string, string> _texts = [];

    public IReadOnlyDictionary<string, string> Texts => _texts;

    public string this[string sink] => _texts[sink];

    public static async Task<LeakSinks> CollectAsync(
        OrchestratorApp app, string repository, string apiTexts, BusTrace bus, IReadOnlyList<StandInRequest> prompts)
    {
        var sinks = new LeakSinks();
        sinks._texts["the target repository (every object, every ref, every commit with its diff)"] = string.Concat(
            Git(repository, "cat-file", "--batch-all-objects", "--batch"),
            Git(repository, "for-each-ref"),
            Git(repository, "log", "-p", "--all"),
            FilesUnder(repository, skip: Path.Combine(repository, "objects")));
        sinks._texts["the pull request (title and body)"] = PullRequestText(repository);
        sinks._texts["the API (feature, list, events)"] = apiTexts;
        // The reviewer's too: the suite's reviewed features (with the model key in its environment) log there.
        foreach (var service in OrchestratorApp.Services.Append(OrchestratorApp.ReviewerService))
        {
            sinks._texts[$"the logs of {service}"] = string.Join('\n', await app.LogsAsync(service));
        }

        sinks._texts["the bus (every message published or delivered)"] = string.Join('\n', bus.Messages);
        sinks._texts["the prompts (every request the model endpoint received)"] = string.Join('\n', prompts.Select(p => p.Body.GetRawText()));
        sinks._texts["the services' files (cassettes, work folders)"] =
            FilesUnder(app.Root, skip: Path.Combine(app.Root, "forge"), alsoSkip: Path.Combine(app.Root, "hunt-source"));
        sinks._texts["the state store (every saga row in PostgreSQL)"] = await app.State.DumpAsync();
        sinks._texts["the telemetry (every span and metric point the services exported)"] = string.Join('\n',
            app.Telemetry.Spans.Select(s => $"{s.Service} {s.Name} {string.Join(' ', s.Attributes)}")
                .Concat(app.Telemetry.MetricPoints.Select(p => $"{p.Service} {p.Metric} {string.Join(' ', p.Attributes)}")));
        return sinks;
    }

    /// <summary>Where each of <paramref name="secrets"/> (by name) occurs, as "name in sink".</summary>
    public IReadOnlyList<string> Find(IReadOnlyDictionary<string, string> secrets, Func<string, bool>? inSink = null) =>
        [.. from sink in _texts
            where inSink?.Invoke(sink.Key) ?? true
            from secret in secrets
            where sink.Value.Contains(secret.Value, StringComparison.Ordinal)
            select $"{secret.Key} in {sink.Key}"];

    /// <summary>
    /// The staging credentials and keys the bus carried (the saga mints one per task attempt): real secrets, only ever
    /// meant for git's environment in the agents and the merge service.
    /// </summary>
    public static IReadOnlyDictionary<string, string> StagingSecrets(BusTrace bus) =>
        bus.Messages.SelectMany(message => StagingSecret().Matches(message))
            .Select(match => match.Groups["value"].Value).Distinct()
            .Select((value, i) => (Name: $"staging credential #{i + 1}", Value: value))
            .ToDictionary(s => s.Name, s => s.Value);

    private static string PullRequestText(string repository)
    {
        var record = Assert.Single(TargetRepository.PullRequests(repository));
        return record.GetProperty("title").GetString() + "\n" + record.GetProperty("body").GetString();
    }

    // Every file as Latin-1 text: SQLite pages and JSON alike keep an ASCII secret's bytes as they are.
    private static string FilesUnder(string root, string skip, string? alsoSkip = null)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (file.StartsWith(skip + "/", StringComparison.Ordinal) || (alsoSkip is not null && file.StartsWith(alsoSkip + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            try
            {
                text.Append(file).Append('\n').Append(Encoding.Latin1.GetString(File.ReadAllBytes(file))).Append('\n');
            }
            catch (IOException)
            {
                // A workspace being deleted as we read: what is gone cannot leak.
            }
        }

        return text.ToString();
    }

    private static string Git(string repository, params string[] arguments)
    {
        var result = OrchestratorApp.Run("git", ["--git-dir", repository, .. arguments], repository);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Text}");
        return result.Stdout;
    }

    [GeneratedRegex("\"staging(?:Credential|Key)\"\\s*:\\s*\"(?<value>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex StagingSecret();
}
