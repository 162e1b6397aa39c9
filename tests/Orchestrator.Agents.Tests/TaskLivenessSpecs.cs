using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>
/// The Coder service reports liveness on the bus while it works: TaskStarted as it takes the task, heartbeats until it
/// ends — straight to the bus, not held back with the outcome in the consumer's outbox.
/// </summary>
public sealed class TaskLivenessSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly string Instance = $"coder@{Environment.MachineName}/{Environment.ProcessId}";

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private AgentHost _host = null!;
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AgentHost.StartAsync(_temp, commandTimeout: TimeSpan.FromSeconds(90));
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["notes.txt"] = "line one\n",
            // The build (in the sandbox) holds the task until the test drops a file into the workspace.
            [".orchestrator.json"] = """{ "build": ["sh", "-c", "while [ ! -f release ]; do sleep 0.05; done"] }""",
        }, _ct);
        _host.WriteScript("held", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
                  { "toolCalls": [ { "name": "workspace_run_build", "arguments": {} } ] },
                  { "content": "Wrote a.txt once the build let go." }
                ]
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _temp.Dispose();
        }
    }

    [Fact]
    public async Task Publishes_TaskStarted_and_heartbeats_while_the_task_runs_before_its_outcome()
    {
        var task = Tasks.Assignment(_origin.Path, "held") with { HeartbeatInterval = Interval };

        await _host.SendAsync(task);
        var started = await _host.Harness.PublishedAsync<TaskStarted>(m => m.FeatureId == task.FeatureId);
        await Eventually.TrueAsync(() => Heartbeats(task).Count >= 3, "three heartbeats while the build holds the task");

        // The build is still holding the task: nothing has ended it.
        Assert.Empty(_host.Harness.PublishedSoFar<TaskCompleted>());
        Assert.Empty(_host.Harness.PublishedSoFar<TaskFailed>());
        Assert.Equal((task.TaskId, task.Attempt, Instance), (started.TaskId, started.Attempt, started.Instance));
        Assert.All(Heartbeats(task), beat => Assert.Equal((task.TaskId, task.Attempt, Instance), (beat.TaskId, beat.Attempt, beat.Instance)));

        var workspace = await Eventually.ValueAsync(
            () => Directory.GetDirectories(Path.Combine(_host.WorkRoot, task.FeatureId.ToString("N"))).SingleOrDefault(), "the task's workspace");
        await File.WriteAllTextAsync(Path.Combine(workspace, "release"), "", _ct);
        var completed = await _host.CompletedAsync(task);
        Assert.Contains("a.txt", completed.ChangedFiles);
    }

    [Fact]
    public async Task An_assignment_without_a_heartbeat_interval_reports_no_liveness()
    {
        _host.WriteScript("quick", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
                  { "content": "Wrote a.txt." }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "quick");
        Assert.Null(task.HeartbeatInterval);

        await _host.SendAsync(task);
        await _host.CompletedAsync(task);

        // The outcome leaves only after the runner returned, and with it anything it would have published.
        Assert.Empty(_host.Harness.PublishedSoFar<TaskStarted>());
        Assert.Empty(_host.Harness.PublishedSoFar<TaskHeartbeat>());
    }

    private List<TaskHeartbeat> Heartbeats(TaskAssignment task) =>
        _host.Harness.PublishedSoFar<TaskHeartbeat>().Where(m => m.FeatureId == task.FeatureId).ToList();
}
