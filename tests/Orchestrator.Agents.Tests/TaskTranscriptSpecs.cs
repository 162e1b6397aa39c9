using MassTransit.Testing;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>
/// The transcript of a task attempt, through the Coder service and the scripted model: every model turn and every tool
/// call is published as a <see cref="TaskStepRecorded"/>, in order, bounded, and without credentials.
/// </summary>
public sealed class TaskTranscriptSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private AgentHost _host = null!;
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await AgentHost.StartAsync(_temp);
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["README.md"] = "# Greeter\n\nSays hello.\n",
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

    private static readonly string LongContent = new('x', 5_000);

    private static readonly string Script = $$"""
        {
          "agents": {
            "task-a": [
              { "content": "Reading first.", "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "README.md" } } ] },
              { "toolCalls": [
                  { "name": "workspace_write_file", "arguments": { "path": "notes.txt", "content": "clone https://agent:s3cr3t-staging-pass@git.example/repo.git" } },
                  { "name": "workspace_edit_file", "arguments": { "path": "README.md", "oldText": "not in the file", "newText": "x" } } ] },
              { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "big.txt", "content": "{{LongContent}}" } } ] },
              { "content": "Wrote notes.txt and big.txt." }
            ]
          }
        }
        """;

    [Fact]
    public async Task Every_model_turn_and_tool_call_is_published_in_order_with_durations_tokens_and_outcomes()
    {
        _host.WriteScript("transcript", Script);
        var task = Tasks.Assignment(_origin.Path, "transcript");

        await _host.SendAsync(task);
        await _host.CompletedAsync(task);

        var steps = Steps(task);
        Assert.Equal(Enumerable.Range(1, 8), steps.Select(s => s.Sequence));
        Assert.Equal(
            ["model", "workspace_read_file", "model", "workspace_write_file", "workspace_edit_file", "model", "workspace_write_file", "model"],
            steps.Select(s => s.Kind == TaskStepKind.Model ? "model" : s.Name));
        Assert.All(steps, s => Assert.Equal((task.FeatureId, task.TaskId, task.Attempt), (s.FeatureId, s.TaskId, s.Attempt)));
        Assert.All(steps, s => Assert.True(s.Duration >= TimeSpan.Zero));

        var models = steps.Where(s => s.Kind == TaskStepKind.Model).ToList();
        Assert.All(models, m => Assert.True(m.InputTokens > 0 && m.OutputTokens > 0, $"turn {m.Sequence} has no tokens"));
        Assert.All(models, m => Assert.Null(m.Result));
        Assert.Equal("Reading first. — asked for workspace_read_file(path: \"README.md\")", models[0].Summary);
        Assert.Equal("Wrote notes.txt and big.txt.", models[^1].Summary);

        var read = steps[1];
        Assert.True(read.Ok);
        Assert.Equal("path: \"README.md\"", read.Summary);
        Assert.Equal("# Greeter Says hello.", read.Result);
        Assert.Null(read.InputTokens);

        var failedEdit = steps[4];
        Assert.False(failedEdit.Ok);
        Assert.StartsWith("Error: oldText was not found in 'README.md'", failedEdit.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summaries_are_bounded_and_a_credential_in_a_url_never_leaves_the_agent()
    {
        _host.WriteScript("transcript", Script);
        var task = Tasks.Assignment(_origin.Path, "transcript");

        await _host.SendAsync(task);
        await _host.CompletedAsync(task);

        var steps = Steps(task);
        Assert.DoesNotContain(steps, s => $"{s.Summary} {s.Result}".Contains("s3cr3t-staging-pass", StringComparison.Ordinal));
        Assert.Contains("https://***@git.example/repo.git", steps[3].Summary, StringComparison.Ordinal);

        // The 5,000-character file is described by its length; the model turn that asked for it is cut with a note.
        Assert.Contains("content: <5000 characters", steps[6].Summary, StringComparison.Ordinal);
        var askedForBigFile = steps[5].Summary;
        Assert.True(askedForBigFile.Length <= 300 + 40, askedForBigFile);
        Assert.All(steps, s => Assert.True(s.Summary.Length <= 340 && (s.Result?.Length ?? 0) <= 340, $"step {s.Sequence} is not bounded"));
    }

    private List<TaskStepRecorded> Steps(TaskAssignment task) =>
        _host.Harness.Published.Select<TaskStepRecorded>()
            .Select(m => m.Context.Message)
            .Where(m => m.FeatureId == task.FeatureId && m.TaskId == task.TaskId)
            .OrderBy(m => m.Sequence)
            .ToList();
}
