using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>The Coder service when a task cannot be done: TaskFailed with a reason a person can act on, nothing pushed.</summary>
public sealed class ImplementTaskFailureSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private AgentHost _host = null!;
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AgentHost.StartAsync(_temp, commandTimeout: TimeSpan.FromSeconds(60));
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["notes.txt"] = "line one\n",
            [".orchestrator.json"] = """{ "build": ["true"] }""",
        }, _ct);
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
    public async Task A_script_that_runs_out_of_turns_fails_the_task_with_the_reason()
    {
        _host.WriteScript("no-summary", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
                  { "toolCalls": [ { "name": "workspace_run_build", "arguments": {} } ] }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "no-summary");

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.Contains("script 'no-summary' has no turn 3 for 'task-a'", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, failed.Usage.Calls);
        Assert.Null(await _origin.HeadOfAsync(task.Branch));
    }

    [Fact]
    public async Task A_script_that_changes_nothing_fails_the_task_without_pushing()
    {
        _host.WriteScript("look-only", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "notes.txt" } },
                                   { "name": "workspace_search", "arguments": { "text": "line", "path": "." } } ] },
                  { "content": "Looked around; nothing to do." }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "look-only");

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.Equal("the agent finished without changing any file", failed.Reason);
        Assert.Null(await _origin.HeadOfAsync(task.Branch));
    }

    [Fact]
    public async Task A_blank_final_answer_fails_the_task_for_want_of_a_summary()
    {
        _host.WriteScript("blank", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
                  { "content": "   " }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "blank");

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.Equal("the model ended without a summary of its work", failed.Reason);
        Assert.Null(await _origin.HeadOfAsync(task.Branch));
    }

    [Fact]
    public async Task A_missing_script_fails_the_task_naming_it()
    {
        var task = Tasks.Assignment(_origin.Path, "not-there");
        using var durations = _host.CollectMetric<double>(AgentTaskMetrics.DurationName);

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.Contains("no script named 'not-there'", failed.Reason, StringComparison.Ordinal);
        Assert.Equal([("coder", "failed")], AgentHost.TimedAttempts(durations));
    }

    [Fact]
    public async Task A_base_branch_that_does_not_exist_fails_the_task_with_gits_message()
    {
        _host.WriteScript("hello", """{ "agents": { "task-a": [ { "content": "unused" } ] } }""");
        var task = Tasks.Assignment(_origin.Path, "hello", baseBranch: "no-such-branch");

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.StartsWith("git failed:", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("no-such-branch", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dependency_branch_that_conflicts_with_the_base_fails_the_task_listing_the_file()
    {
        var feature = Guid.NewGuid();
        var dependencyBranch = Tasks.BranchOf(feature, "implement");
        await _origin.CommitAsync("main", dependencyBranch, new Dictionary<string, string> { ["notes.txt"] = "line one, says the dependency\n" }, "Dependency");
        await _origin.CommitAsync("main", "main", new Dictionary<string, string> { ["notes.txt"] = "line one, says main\n" }, "Main moved on");
        _host.WriteScript("hello", """{ "agents": { "task-b": [ { "content": "unused" } ] } }""");
        var task = Tasks.Assignment(_origin.Path, "hello", taskId: "task-b", featureId: feature, dependencies: [dependencyBranch]);

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.Equal($"the dependency branch {dependencyBranch} conflicts with the work merged before it in: notes.txt", failed.Reason);
        Assert.Null(await _origin.HeadOfAsync(task.Branch));
    }

    [Fact]
    public async Task A_task_whose_deadline_has_passed_fails_saying_so()
    {
        _host.WriteScript("hello", """{ "agents": { "task-a": [ { "content": "unused" } ] } }""");
        var task = Tasks.Assignment(_origin.Path, "hello", deadline: DateTimeOffset.UtcNow.AddSeconds(-1));
        using var durations = _host.CollectMetric<double>(AgentTaskMetrics.DurationName);

        await _host.SendAsync(task);
        var failed = await _host.FailedAsync(task);

        Assert.StartsWith("the task ran past its deadline", failed.Reason, StringComparison.Ordinal);
        // Past its deadline is a failure, not a cancellation.
        Assert.Equal([("coder", "failed")], AgentHost.TimedAttempts(durations));
    }

    [Fact]
    public async Task Cancelling_the_feature_stops_a_running_command_and_fails_the_task_as_cancelled()
    {
        // The build runs sandboxed and can write only its own workspace, so the marker is made there.
        await _origin.CommitAsync("main", "main", new Dictionary<string, string>
        {
            [".orchestrator.json"] = """{ "build": ["sh", "-c", "touch build-started && sleep 600"] }""",
        }, "A slow build");
        _host.WriteScript("slow", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
                  { "toolCalls": [ { "name": "workspace_run_build", "arguments": {} } ] },
                  { "content": "Built." }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "slow");
        using var durations = _host.CollectMetric<double>(AgentTaskMetrics.DurationName);

        await _host.SendAsync(task);
        await Eventually.TrueAsync(
            () => Directory.EnumerateFiles(_host.WorkRoot, "build-started", SearchOption.AllDirectories).Any(), "the build to start", TimeSpan.FromSeconds(30));
        await _host.PublishAsync(new FeatureCancelled(task.FeatureId, "changed my mind"));
        // The build would run for ten minutes: an outcome within the wait means cancelling stopped it.
        var failed = await _host.FailedAsync(task);

        Assert.Equal("the task was cancelled", failed.Reason);
        Assert.Null(await _origin.HeadOfAsync(task.Branch));
        Assert.Equal([("coder", "cancelled")], AgentHost.TimedAttempts(durations));
    }

    [Fact]
    public async Task Cancelling_another_feature_leaves_the_task_alone()
    {
        _host.WriteScript("hello", """
            { "agents": { "task-a": [
              { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "a.txt", "content": "a" } } ] },
              { "content": "Wrote a.txt." } ] } }
            """);
        var task = Tasks.Assignment(_origin.Path, "hello");

        await _host.PublishAsync(new FeatureCancelled(Guid.NewGuid(), "someone else's feature"));
        await _host.SendAsync(task);

        Assert.Equal("Wrote a.txt.", (await _host.CompletedAsync(task)).Summary);
    }
}
