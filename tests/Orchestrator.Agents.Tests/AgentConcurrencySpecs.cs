using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>
/// <c>Agents:Concurrency</c>: how many tasks one agent instance runs at once. Each task here is held by its build until
/// the test releases it, so what overlaps is plain: with two, both start before either ends; with one, the second
/// starts only after the first has ended.
/// </summary>
public sealed class AgentConcurrencySpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync() =>
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["notes.txt"] = "line one\n",
            // The build (in the sandbox) holds the task until the test drops a file into its workspace.
            [".orchestrator.json"] = """{ "build": ["sh", "-c", "while [ ! -f release ]; do sleep 0.05; done"] }""",
        }, _ct);

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task With_two_an_instance_runs_two_tasks_at_once()
    {
        await using var host = await StartAsync(concurrency: 2);
        var (first, second) = (Held(host), Held(host));

        await host.SendAsync(first);
        await host.SendAsync(second);

        await Eventually.TrueAsync(() => host.Harness.PublishedSoFar<TaskStarted>().Count == 2, "both tasks to start");
        Assert.Empty(host.Harness.PublishedSoFar<TaskCompleted>());
        await ReleaseAsync(host, first);
        await ReleaseAsync(host, second);
        await host.CompletedAsync(first);
        await host.CompletedAsync(second);
    }

    [Fact]
    public async Task With_one_the_second_task_waits_on_the_queue_until_the_first_has_ended()
    {
        await using var host = await StartAsync(concurrency: 1);
        var (first, second) = (Held(host), Held(host));

        await host.SendAsync(first);
        await host.SendAsync(second);
        var started = await host.Harness.PublishedAsync<TaskStarted>(_ => true);
        var running = started.FeatureId == first.FeatureId ? first : second;
        var waiting = running == first ? second : first;
        await ReleaseAsync(host, running);
        await host.CompletedAsync(running);
        await ReleaseAsync(host, waiting);
        await host.CompletedAsync(waiting);

        // In the order the bus saw them: the waiting task started only after the running one had completed.
        var order = host.Harness.Published.Select(_ => true, _ct)
            .Where(m => m.MessageObject is TaskStarted or TaskCompleted)
            .Select(m => m.MessageObject switch
            {
                TaskStarted s => $"started {(s.FeatureId == running.FeatureId ? "running" : "waiting")}",
                TaskCompleted c => $"completed {(c.FeatureId == running.FeatureId ? "running" : "waiting")}",
                _ => string.Empty,
            })
            .ToList();
        Assert.Equal(["started running", "completed running", "started waiting", "completed waiting"], order);
    }

    private async Task<AgentHost> StartAsync(int concurrency)
    {
        var host = await AgentHost.StartAsync(_temp, commandTimeout: TimeSpan.FromSeconds(90), scriptsPath: _temp.CreateDirectory($"scripts-{concurrency}"),
            concurrency: concurrency);
        host.WriteScript("held", """
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
        return host;
    }

    private TaskAssignment Held(AgentHost host) =>
        Tasks.Assignment(_origin.Path, "held") with { HeartbeatInterval = TimeSpan.FromSeconds(30) };

    private async Task ReleaseAsync(AgentHost host, TaskAssignment task)
    {
        var workspace = await Eventually.ValueAsync(
            () => Directory.Exists(Path.Combine(host.WorkRoot, task.FeatureId.ToString("N")))
                ? Directory.GetDirectories(Path.Combine(host.WorkRoot, task.FeatureId.ToString("N"))).SingleOrDefault()
                : null,
            $"the workspace of {task.FeatureId}");
        await File.WriteAllTextAsync(Path.Combine(workspace, "release"), "", _ct);
    }
}
