using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>A submitted run of the fault suite's feature: where to read it, its repository, and its clock.</summary>
public sealed record FeatureRun(string Location, string Repository, string Marker, Stopwatch Started);

/// <summary>How a run ended; <paramref name="ModelCalls"/> counts the model requests that carried the run's marker.</summary>
public sealed record FeatureEnd(JsonElement Feature, string State, string? Reason, TimeSpan Took, int PullRequests, int ModelCalls);

/// <summary>
/// The fault suite's feature (Faults/fault-suite.json: three tasks on a repository whose build and tests take about two
/// seconds) and the checks every run of it must pass, whatever was done to the system meanwhile: it ended Completed, or
/// Failed with a reason, within three minutes beyond its fault-free time; at most one pull request; a completed
/// feature's branch holds every task's work.
/// </summary>
public sealed class FaultFeature(OrchestratorApp app)
{
    private static readonly TimeSpan Beyond = TimeSpan.FromMinutes(3);
    private static readonly string[] EveryTasksWork = ["src/greeting.txt", "tests/greeting.check", "docs/greeting.md"];

    /// <summary>
    /// Runs the feature without a fault, the first time any scenario asks: the baseline of every row. It runs twice and
    /// the second run counts: the first after the system started pays for warming up (it took up to twice as long here),
    /// which made every other run look faster than no fault at all.
    /// </summary>
    public async Task EnsureFaultFreeAsync()
    {
        if (FaultReport.FaultFree != TimeSpan.Zero)
        {
            return;
        }

        FeatureEnd? end = null;
        for (var run = 0; run < 2; run++)
        {
            end = await EndAsync(await SubmitAsync());
            Assert.Equal("Completed", end.State);
        }

        FaultReport.FaultFree = end!.Took;
        FaultReport.FaultFreeModelCalls = end.ModelCalls;
    }

    /// <summary>
    /// Submits the feature on a fresh repository. Its request carries a marker of the run, so the model requests of this
    /// run (the planner's and every task's prompt quote the request) can be told from the others. With
    /// <paramref name="approvePlan"/> the plan waits for a person's approval (the board's approval test).
    /// </summary>
    public async Task<FeatureRun> SubmitAsync(bool approvePlan = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = TargetRepository.Create(app.Root, "greeting", new Dictionary<string, string>
        {
            ["README.md"] = "# Greeting\n",
            // About two seconds each, so a fault can land while a command runs.
            [".orchestrator.json"] = """
                {"build": ["bash", "-c", "sleep 2; test ! -e src/greeting.txt || grep -q Hello src/greeting.txt"],
                 "test": ["bash", "-c", "sleep 2; test ! -e tests/greeting.check || grep -q Hello tests/greeting.check"]}
                """,
        });
        var marker = $"(run {Guid.NewGuid():N})";
        var started = Stopwatch.StartNew();
        var request = $"Add the greeting {ScriptedStandIn.Selecting(FaultSuiteTests.Script)} {marker}";
        var response = await app.Api.PostAsJsonAsync(
            "/features", approvePlan ? new { repository, request, approvePlan } : (object)new { repository, request }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        return new FeatureRun(response.Headers.Location!.ToString(), repository, marker, started);
    }

    /// <summary>The feature as the API shows it now.</summary>
    public Task<JsonElement> ReadAsync(FeatureRun run) =>
        app.Api.GetFromJsonAsync<JsonElement>(run.Location, TestContext.Current.CancellationToken);

    /// <summary>Waits for the run's end and checks it ended well.</summary>
    public async Task<FeatureEnd> EndAsync(FeatureRun run)
    {
        var feature = await app.WaitForEndAsync(run.Location, FaultReport.FaultFree + Beyond);
        var took = run.Started.Elapsed;
        var state = feature.GetProperty("state").GetString()!;
        var reason = feature.GetProperty("failureReason").GetString();
        var pullRequests = TargetRepository.PullRequests(run.Repository).Count;
        AssertEndedWell(feature, state, reason, pullRequests, run.Repository);
        return new FeatureEnd(feature, state, reason, took, pullRequests, ModelCallsOf(run));
    }

    /// <summary>The model requests of this run so far: the planner's and every task's prompt quote the request and its marker.</summary>
    public int ModelCallsOf(FeatureRun run) =>
        app.Llm.Requests.Count(request => request.Messages.Any(m => m.Content?.Contains(run.Marker, StringComparison.Ordinal) == true));

    /// <summary>
    /// Checks a run that was only ever sent messages again (duplicates, bursts) ended as if nothing had happened: Completed,
    /// each task on its first attempt, no model call more than without a fault (no agent redid its work), the feature's
    /// usage counting each call once, and the pull request still at the commit the feature was verified and completed with.
    /// </summary>
    public static void AssertUntouched(FeatureRun run, FeatureEnd end)
    {
        Assert.True(end.State == "Completed", $"the feature ended {end.State}: {end.Reason}");
        var head = end.Feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var verified = end.Feature.GetProperty("verification").GetProperty("commit").GetString();
        var tip = OrchestratorApp.Run("git", ["--git-dir", run.Repository, "rev-parse", $"refs/heads/{head}"], run.Repository).Stdout.Trim();
        Assert.True(tip == verified, $"the pull request's branch {head} is at {tip}, not at the verified commit {verified} the feature completed with");
        Assert.All(end.Feature.GetProperty("tasks").EnumerateArray(), task =>
            Assert.True(task.GetProperty("attempts").GetInt32() == 1, $"task {task.GetProperty("id")} took more than one attempt: {task}"));
        Assert.True(end.ModelCalls == FaultReport.FaultFreeModelCalls,
            $"{end.ModelCalls} model calls, {FaultReport.FaultFreeModelCalls} without a fault: some work was done twice");
        var counted = end.Feature.GetProperty("usage").GetProperty("calls").GetInt32();
        Assert.True(counted == end.ModelCalls, $"the feature's usage counts {counted} model calls, {end.ModelCalls} were made");
    }

    private static void AssertEndedWell(JsonElement feature, string state, string? reason, int pullRequests, string repository)
    {
        Assert.True(state is "Completed" or "Failed", $"the feature ended {state}: {feature}");
        Assert.True(pullRequests <= 1, $"{pullRequests} pull requests for one feature: {feature}");
        if (state == "Failed")
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), $"failed without a reason: {feature}");
            return;
        }

        Assert.Equal(1, pullRequests);
        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var files = TargetRepository.Files(repository, head);
        Assert.All(EveryTasksWork, file => Assert.Contains(file, files));
    }
}
