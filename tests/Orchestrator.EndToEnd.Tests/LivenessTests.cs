using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A task whose agent goes silent mid-task is declared lost after three heartbeat intervals (Features:HeartbeatInterval
/// is 2 s here) and runs again as its next attempt; the feature still ends with one pull request.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class LivenessTests(OrchestratorApp app)
{
    // Long enough for the test to freeze the coder while it waits; short enough that the frozen attempt, once thawed,
    // gets its answer soon and leaves the queue to the next attempt.
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_frozen_coder_is_declared_lost_and_its_task_completes_as_a_second_attempt_with_one_pull_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var marker = $"[liveness {Guid.NewGuid():N}]";
        var answer = app.Llm.Fallback!;
        var held = 0;
        // The coder's first model call of this feature is answered late, so the freeze below finds it mid-task.
        app.Llm.Fallback = request =>
            IsCoderCallOf(request, marker) && Interlocked.Exchange(ref held, 1) == 0 ? answer(request) with { Delay = Hold } : answer(request);
        try
        {
            var response = await app.Api.PostAsJsonAsync("/features", new
            {
                repository = app.CreateSampleRepository(),
                // No script: the feature runs on the model endpoint, the stand-in that holds the coder's call.
                request = $"Add a Power(base, exponent) method to the calculator, with tests and a README section {marker}",
            }, ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            await Eventually.TrueAsync(() => Volatile.Read(ref held) == 1, "the coder's first model call");

            var running = await ImplementTaskAsync(location, t => State(t) == "Running");
            var instance = running.GetProperty("instance").GetString()!;
            Assert.StartsWith("coder@", instance, StringComparison.Ordinal);
            var silent = Stopwatch.StartNew();
            JsonElement retried;
            using (Freeze(ProcessIdOf(instance)))
            {
                retried = await ImplementTaskAsync(location, t => t.GetProperty("attempts").GetInt32() == 2);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"frozen coder → attempt 2 queued: {silent.Elapsed.TotalSeconds:0.0} s");
            var why = Assert.Single(retried.GetProperty("earlierFailures").EnumerateArray()).GetString();
            Assert.StartsWith($"attempt 1: lost: no heartbeat from {instance} since ", why, StringComparison.Ordinal);

            var feature = await app.WaitForEndAsync(location, TimeSpan.FromMinutes(6));
            Assert.True(feature.GetProperty("state").GetString() == "Completed", $"feature did not complete: {feature}");
            var implement = Implement(feature);
            Assert.Equal((2, "Completed"), (implement.GetProperty("attempts").GetInt32(), State(implement)));
            Assert.Single(TargetRepository.PullRequests(feature.GetProperty("pullRequest").GetProperty("repository").GetString()!));
        }
        finally
        {
            app.Llm.Fallback = answer;
        }
    }

    private static bool IsCoderCallOf(StandInRequest request, string marker) =>
        request.Messages.Any(m => m.Role == "user" && m.Content is { } text
            && text.Contains(marker, StringComparison.Ordinal) && text.Contains("Your task (implement-power)", StringComparison.Ordinal));

    private async Task<JsonElement> ImplementTaskAsync(string location, Func<JsonElement, bool> condition)
    {
        JsonElement found = default;
        var seen = await Eventually.TrueAsync(async () =>
        {
            var feature = await app.Api.GetFromJsonAsync<JsonElement>(location, TestContext.Current.CancellationToken);
            found = Implement(feature);
            return condition(found);
        }, Eventually.DefaultTimeout);
        Assert.True(seen, $"implement-power never reached the awaited state; last seen: {found}");
        return found;
    }

    private static JsonElement Implement(JsonElement feature) =>
        feature.GetProperty("tasks").EnumerateArray().FirstOrDefault(t => t.GetProperty("id").GetString() == "implement-power");

    private static string? State(JsonElement task) => task.ValueKind == JsonValueKind.Object ? task.GetProperty("state").GetString() : null;

    // The instance name is <role>@<machine>/<process id>: the service's own process, not a launcher above it.
    private static int ProcessIdOf(string instance) => int.Parse(instance[(instance.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>Stops the process as a hung machine would (SIGSTOP: alive, silent, its messages unacknowledged); disposing thaws it.</summary>
    private static Thaw Freeze(int pid)
    {
        Signal("STOP", pid);
        return new Thaw(pid);
    }

    private static void Signal(string signal, int pid)
    {
        var result = OrchestratorApp.Run("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], OrchestratorApp.RepositoryRoot);
        Assert.True(result.ExitCode == 0, result.Text);
    }

    private sealed class Thaw(int pid) : IDisposable
    {
        public void Dispose() => Signal("CONT", pid);
    }
}
