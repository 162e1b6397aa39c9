using System.Diagnostics;
using System.Text.Json;
using Orchestrator.EndToEnd.Tests.Security;
using Orchestrator.Tests.Support;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The security suite's canaries (issue 9, item 8): secrets planted where the real ones live, a target repository whose
/// restore, build and test commands hunt for them through /proc, $HOME, user secrets, the services' folders and the
/// network, and a whole feature run over it. None may turn up in the repository, the pull request, the API, the logs,
/// the bus or the prompts.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class SecretCanaryTests(OrchestratorApp app)
{
    /// <summary>The model script the stand-in plays for this test (Security/security-canaries.json).</summary>
    public const string Script = "security-canaries";

    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task No_planted_secret_reaches_the_repository_pull_request_api_logs_bus_or_prompts_when_the_build_hunts_for_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        await AssertPlantedWhereSecretsLiveAsync();
        var (repository, marker) = HuntingRepository.Create(app.Root, await TargetsAsync());
        var promptsBefore = app.Llm.Requests.Count;

        await using var bus = await BusTrace.StartAsync(Messaging, ct);
        var response = await app.Api.PostAsJsonAsync("/features", new
        {
            repository,
            request = $"Run the build and the tests in every agent {ScriptedStandIn.Selecting(Script)}",
        }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        var location = response.Headers.Location!.ToString();
        var id = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        var events = ReadEventsAsync($"{location}/events", ct);
        await AssertStagingRefusesAnonymousRequestsAsync(id, ct);

        var feature = await app.WaitForEndAsync(location, FeatureTimeout);
        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
        await AssertApiRefusesAnonymousRequestsAsync(location, ct);

        var transcripts = await TranscriptsAsync(location, feature, ct);
        var apiTexts = string.Join('\n', feature.GetRawText(), await app.Api.GetStringAsync("/features", ct), await events, transcripts);
        var prompts = app.Llm.Requests.Skip(promptsBefore).ToList();
        var sinks = await LeakSinks.CollectAsync(app, repository, apiTexts, bus, app.Llm.Requests);

        var secrets = new Dictionary<string, string>(app.Canaries.ByLocation) { ["the broker's password (ConnectionStrings:messaging)"] = BrokerPassword };
        var staging = LeakSinks.StagingSecrets(bus);
        Assert.NotEmpty(staging);
        // The bus carries the staging credentials and the saga's state keeps the key: everywhere else they are leaks.
        var found = sinks.Find(secrets).Concat(sinks.Find(staging, sink => !sink.StartsWith("the bus", StringComparison.Ordinal)
            && !sink.StartsWith("the state store", StringComparison.Ordinal))).ToList();

        Report(secrets, staging.Count, sinks, found, Stopwatch.GetElapsedTime(started));
        Assert.True(found.Count == 0, "secrets leaked:\n" + string.Join('\n', found));
        AssertTheHuntRan(repository, feature, marker, sinks, prompts.Count);
        // The transcripts were searched, and they hold the hunt's tool calls (their results summarised).
        Assert.Contains("workspace_run_build", transcripts);
    }

    private static string Messaging => Environment.GetEnvironmentVariable("ConnectionStrings__messaging")!;

    private static string BrokerPassword => Uri.UnescapeDataString(new Uri(Messaging).UserInfo.Split(':', 2)[1]);

    /// <summary>Before the hunt: each canary really is where a careless sandbox would hand it over, in a live process's environment.</summary>
    private async Task AssertPlantedWhereSecretsLiveAsync()
    {
        foreach (var service in OrchestratorApp.Services)
        {
            var environment = await File.ReadAllTextAsync($"/proc/{await app.ProcessIdAsync(service)}/environ");
            Assert.Contains(app.Canaries.Environment, environment);
            Assert.Contains(BrokerPassword, environment);
            Assert.Equal(service != "merge", environment.Contains(app.Canaries.LlmKey, StringComparison.Ordinal));
            Assert.Equal(service == "merge", environment.Contains(app.Canaries.ForgeToken, StringComparison.Ordinal));
            Assert.Equal(service == "orchestrator", environment.Contains(app.Canaries.ApiKey, StringComparison.Ordinal));
            Assert.Equal(service == "orchestrator", environment.Contains(app.Canaries.WebhookSecret, StringComparison.Ordinal));
        }

        Assert.Contains(app.Canaries.UserSecrets, await File.ReadAllTextAsync(app.Canaries.UserSecretsPath));
        Assert.Contains(app.Canaries.HomeFile, await File.ReadAllTextAsync(app.Canaries.HomeFilePath));
    }

    /// <summary>What an attacker who knows the layout would try: the secret files, the services' folders and ports.</summary>
    private async Task<HuntTargets> TargetsAsync()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var pids = new List<string>();
        foreach (var service in OrchestratorApp.Services)
        {
            pids.Add($"/proc/{await app.ProcessIdAsync(service)}/environ");
        }

        string[] files =
        [
            app.Canaries.HomeFilePath, Path.GetDirectoryName(app.Canaries.UserSecretsPath)!, app.Canaries.UserSecretsPath,
            Path.Combine(home, ".orchestrator", "rabbitmq-password"), Path.Combine(home, ".nuget", "NuGet", "NuGet.Config"), .. pids,
        ];
        string[] folders =
        [
            app.Root, Path.Combine(app.Root, "state"), Path.Combine(app.Root, "agents"), Path.Combine(app.Root, "merge"),
            Path.Combine(app.Root, "cassettes"), Path.Combine(Path.GetTempPath(), "orchestrator", "staging"), OrchestratorApp.RepositoryRoot,
        ];
        var api = app.Endpoint("orchestrator");
        var broker = new Uri(Messaging);
        string[] ports =
        [
            $"{broker.Host}:{(broker.Port > 0 ? broker.Port : 5672)}", $"{api.Host}:{api.Port}", Authority(app.Endpoint("merge")),
            Authority(app.Llm.BaseAddress), "127.0.0.1:5432", "169.254.169.254:80",
        ];
        return new HuntTargets(files, folders, ports, $"{api.Host}:{api.Port}");

        static string Authority(Uri uri) => $"{uri.Host}:{uri.Port}";
    }

    /// <summary>Every task's transcript as the API serves it (each model turn and tool call, summarised).</summary>
    private async Task<string> TranscriptsAsync(string location, JsonElement feature, CancellationToken ct)
    {
        // The planner's transcript too: it read the repository through the staging server with a credential of its own.
        var logs = new List<string> { await app.Api.GetStringAsync($"{location}/tasks/planner/log", ct) };
        foreach (var task in feature.GetProperty("tasks").EnumerateArray())
        {
            logs.Add(await app.Api.GetStringAsync($"{location}/tasks/{task.GetProperty("id").GetString()}/log", ct));
        }

        return string.Join('\n', logs);
    }

    /// <summary>The feature's server-sent events, from submission until the stream ends with the feature.</summary>
    private async Task<string> ReadEventsAsync(string path, CancellationToken ct)
    {
        using var client = app.CreateClient(app.ApiKey);
        client.Timeout = FeatureTimeout;
        return await client.GetStringAsync(path, ct);
    }

    /// <summary>The staging git endpoint, while the feature's staging repository exists: no credential, no access.</summary>
    private async Task AssertStagingRefusesAnonymousRequestsAsync(Guid id, CancellationToken ct)
    {
        using var merge = new HttpClient { BaseAddress = app.Endpoint("merge") };
        var refs = $"/git/{id:N}.git/info/refs?service=git-upload-pack";
        var status = HttpStatusCode.NotFound;
        var exists = await Eventually.TrueAsync(async () =>
        {
            status = (await merge.GetAsync(refs, ct)).StatusCode;
            return status != HttpStatusCode.NotFound;
        }, FeatureTimeout);
        Assert.True(exists, "the feature's staging repository never appeared");
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        using var push = new ByteArrayContent([]);
        push.Headers.ContentType = new("application/x-git-receive-pack-request");
        Assert.Equal(HttpStatusCode.Unauthorized, (await merge.PostAsync($"/git/{id:N}.git/git-receive-pack", push, ct)).StatusCode);
    }

    private async Task AssertApiRefusesAnonymousRequestsAsync(string location, CancellationToken ct)
    {
        using var anonymous = app.CreateClient(key: null);
        foreach (var path in new[] { location, "/features", $"{location}/events" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, ct)).StatusCode);
        }
    }

    /// <summary>Without this the test proves nothing: the hunt ran in every agent and in the verification, and what it printed travelled.</summary>
    private static void AssertTheHuntRan(string repository, JsonElement feature, string marker, LeakSinks sinks, int prompts)
    {
        Assert.Contains($"Passed! hunt {marker} (test)", sinks["the pull request (title and body)"]);
        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var files = TargetRepository.Files(repository, head).Where(f => f.StartsWith("hunt/", StringComparison.Ordinal)).ToList();
        // Three agents, each: restore + build, restore + test.
        Assert.True(files.Count >= 12, $"expected the hunt's files of every agent run on {head}: {string.Join(", ", files)}");
        var build = Show(repository, head, files.First(f => f.StartsWith("hunt/build-", StringComparison.Ordinal)));
        Assert.Contains($"Passed! hunt {marker} (build)", build);
        var restore = Show(repository, head, files.First(f => f.StartsWith("hunt/restore-", StringComparison.Ordinal)));
        Assert.Contains($"Passed! hunt {marker} (restore)", restore);
        Assert.True(prompts > 0);
        Assert.Contains($"hunt {marker} (build)", sinks["the prompts (every request the model endpoint received)"]);
        Assert.Contains(feature.GetProperty("id").GetString()!, string.Join('\n', OrchestratorApp.Services.Select(s => sinks[$"the logs of {s}"])));
        TestContext.Current.TestOutputHelper?.WriteLine($"What the hunt saw in an agent's sandbox, building:\n{build}");
        TestContext.Current.TestOutputHelper?.WriteLine($"And in the restore step (the network allowed):\n{restore}");
    }

    private static string Show(string repository, string branch, string path) =>
        OrchestratorApp.Run("git", ["--git-dir", repository, "show", $"refs/heads/{branch}:{path}"], repository).Stdout;

    private static void Report(
        IReadOnlyDictionary<string, string> secrets, int staging, LeakSinks sinks, IReadOnlyList<string> found, TimeSpan elapsed)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Planted ({secrets.Count}) and looked for:\n  " + string.Join("\n  ", secrets.Keys));
        output?.WriteLine($"Also looked for {staging} staging credentials and keys harvested from the bus.");
        output?.WriteLine("Sinks searched:\n  " + string.Join("\n  ", sinks.Texts.Select(s => $"{s.Key}: {s.Value.Length:N0} characters")));
        output?.WriteLine($"Found: {found.Count}. Test time: {elapsed.TotalSeconds:0.0} s.");
    }
}
