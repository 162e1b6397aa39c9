using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>The Coder service end to end: ImplementTask in, a pushed branch and TaskCompleted out.</summary>
public sealed class ImplementTaskSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private AgentHost _host = null!;
    private TestRepository _origin = null!;
    private string _initialMain = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AgentHost.StartAsync(_temp);
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["README.md"] = "# Greeter\n\nSays hello.\n",
            [".orchestrator.json"] = """{ "build": ["true"], "test": ["true"] }""",
        }, _ct);
        _initialMain = (await _origin.HeadOfAsync("main"))!;
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

    private const string HelloScript = """
        {
          "description": "adds a greeting",
          "agents": {
            "task-a": [
              { "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "README.md" } } ] },
              { "toolCalls": [
                  { "name": "workspace_write_file", "arguments": { "path": "src/Hello.txt", "content": "Hello, world!\n" } },
                  { "name": "workspace_edit_file", "arguments": { "path": "README.md", "oldText": "Says hello.", "newText": "Says hello, see src/Hello.txt." } } ] },
              { "toolCalls": [ { "name": "workspace_run_build", "arguments": {} } ] },
              { "content": "Added src/Hello.txt and mentioned it in the README." }
            ]
          }
        }
        """;

    [Fact]
    public async Task The_agent_reads_the_instruction_files_nearest_to_its_tasks_files_from_its_clone_and_reports_them()
    {
        await _origin.CommitAsync("main", "main", new Dictionary<string, string>
        {
            ["AGENTS.md"] = "Root guidance.",
            ["src/AGENTS.md"] = "Source guidance.",
            ["CONTRIBUTING.md"] = "Small commits.",
        }, "Add agent instructions");
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello") with { Files = ["src/Hello.txt"] };

        await _host.SendAsync(task);
        var completed = await _host.CompletedAsync(task);

        Assert.Equal(["src/AGENTS.md", "CONTRIBUTING.md"], completed.InstructionFiles);
    }

    [Fact]
    public async Task Publishes_TaskCompleted_with_the_branch_pushed_as_one_commit_holding_the_scripted_change()
    {
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello");
        using var durations = _host.CollectMetric<double>(AgentTaskMetrics.DurationName);
        using var tokens = _host.CollectMetric<long>(Llm.ModelTokenMetrics.TokensName);

        await _host.SendAsync(task);
        var completed = await _host.CompletedAsync(task);

        var head = await _origin.HeadOfAsync(task.Branch);
        Assert.Equal(task.Branch, completed.Branch);
        Assert.Equal(head, completed.Commit);
        Assert.Equal("Added src/Hello.txt and mentioned it in the README.", completed.Summary);
        Assert.Equal(["README.md", "src/Hello.txt"], completed.ChangedFiles.Order(StringComparer.Ordinal));
        Assert.Equal(task.Model.Description, completed.Model);
        Assert.Equal(4, completed.Usage.Calls);
        Assert.True(completed.Usage.TotalTokens > 0);

        Assert.Equal("Hello, world!", await _origin.ShowAsync(task.Branch, "src/Hello.txt"));
        Assert.Contains("Says hello, see src/Hello.txt.", await _origin.ShowAsync(task.Branch, "README.md"), StringComparison.Ordinal);
        Assert.Equal(1, await _origin.CountCommitsAsync($"main..{task.Branch}"));
        Assert.Equal(_initialMain, await _origin.HeadOfAsync("main"));

        // The dashboard's metrics: the attempt's duration by role and outcome, and every token under the scripted model.
        Assert.Equal([("coder", "completed")], AgentHost.TimedAttempts(durations));
        Assert.True(durations.LastMeasurement!.Value > 0);
        Assert.All(tokens.GetMeasurementSnapshot(), m => Assert.Equal("scripted:hello", m.Tags["model"]));
        Assert.Equal(completed.Usage.TotalTokens, tokens.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task The_commit_names_the_role_as_author_and_carries_the_orchestrator_trailers()
    {
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello");

        await _host.SendAsync(task);
        var completed = await _host.CompletedAsync(task);

        var message = await _origin.MessageOfAsync(completed.Commit);
        var lines = message.Split('\n');
        Assert.Equal(task.Title, lines[0]);
        Assert.Contains("Added src/Hello.txt and mentioned it in the README.", message, StringComparison.Ordinal);
        Assert.Contains($"Orchestrator-Feature: {task.FeatureId}", lines);
        Assert.Contains("Orchestrator-Task: task-a", lines);
        Assert.Contains("Orchestrator-Attempt: 1", lines);
        Assert.Contains($"Orchestrator-Model: {task.Model.Description}", lines);
        Assert.Equal("Orchestrator Coder <coder@agents.orchestrator.invalid>",
            await _origin.Bare.RunAsync(_ct, "log", "-1", "--format=%an <%ae>", completed.Commit));

        // git itself parses the trailers, so other tools (and the merge service) can rely on them.
        var trailers = await _origin.Bare.RunAsync(_ct, "log", "-1", "--format=%(trailers:key=Orchestrator-Task,valueonly)", completed.Commit);
        Assert.Equal("task-a", trailers);
    }

    [Fact]
    public async Task The_workspace_is_deleted_when_the_task_ends()
    {
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello");

        await _host.SendAsync(task);
        await _host.CompletedAsync(task);

        Assert.Empty(Directory.EnumerateFiles(_host.WorkRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_task_with_a_dependency_starts_from_a_workspace_where_the_dependency_branch_is_merged()
    {
        var feature = Guid.NewGuid();
        var dependencyBranch = Tasks.BranchOf(feature, "implement");
        var dependencyCommit = await _origin.CommitAsync("main", dependencyBranch,
            new Dictionary<string, string> { ["src/Greeter.cs"] = "// Hello() goes here\n" }, "Dependency work");
        _host.WriteScript("follow-up", """
            {
              "agents": {
                "test-it": [
                  { "toolCalls": [ { "name": "workspace_edit_file",
                                     "arguments": { "path": "src/Greeter.cs", "oldText": "// Hello() goes here", "newText": "string Hello() => \"hi\";" } } ] },
                  { "content": "Filled in Hello." }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "follow-up", taskId: "test-it", featureId: feature, dependencies: [dependencyBranch]);

        await _host.SendAsync(task);
        var completed = await _host.CompletedAsync(task);

        // The edit only succeeds on the dependency's file, so its content proves the merge happened first.
        Assert.Equal("string Hello() => \"hi\";", await _origin.ShowAsync(task.Branch, "src/Greeter.cs"));
        Assert.True(await _origin.IsAncestorAsync(dependencyCommit, completed.Commit));
        Assert.Equal(["src/Greeter.cs"], completed.ChangedFiles);
        Assert.Contains($"Merge {dependencyBranch} (dependency of test-it)",
            await _origin.Bare.RunAsync(_ct, "log", "--format=%s", completed.Commit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_tool_call_goes_back_to_the_model_and_the_task_still_completes()
    {
        _host.WriteScript("escape", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "../../escaped.txt", "content": "out" } } ] },
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "inside.txt", "content": "in" } } ] },
                  { "content": "Wrote inside.txt after the first path was refused." }
                ]
              }
            }
            """);
        var task = Tasks.Assignment(_origin.Path, "escape");

        await _host.SendAsync(task);
        var completed = await _host.CompletedAsync(task);

        Assert.Equal(["inside.txt"], completed.ChangedFiles);
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "escaped.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_redelivered_attempt_reports_the_commit_it_pushed_without_running_the_model_or_moving_the_branch()
    {
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello");

        await _host.SendAsync(task);
        var first = await _host.CompletedAsync(task);
        await _host.SendAsync(task);
        var second = await _host.CompletedAsync(task, occurrence: 2);

        // The saga accepted the first commit; consolidation refuses a branch that moved off it.
        Assert.Equal(first.Commit, second.Commit);
        Assert.Equal(first.Commit, await _origin.HeadOfAsync(task.Branch));
        Assert.Equal(1, await _origin.CountCommitsAsync($"main..{task.Branch}"));
        Assert.Equal(first.Summary, second.Summary);
        Assert.Equal(first.ChangedFiles.Order(StringComparer.Ordinal), second.ChangedFiles.Order(StringComparer.Ordinal));
        Assert.Equal(TokenUsage.None, second.Usage);
    }

    [Fact]
    public async Task The_next_attempt_of_a_task_does_the_work_again()
    {
        _host.WriteScript("hello", HelloScript);
        var task = Tasks.Assignment(_origin.Path, "hello");
        await _host.SendAsync(task);
        var first = await _host.CompletedAsync(task);

        var next = task with { Attempt = 2 };
        await _host.SendAsync(next);
        var second = await _host.CompletedAsync(next);

        Assert.NotEqual(first.Commit, second.Commit);
        Assert.Equal(second.Commit, await _origin.HeadOfAsync(task.Branch));
        Assert.Equal(4, second.Usage.Calls);
    }
}
