using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

public sealed class FeatureConsolidatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Guid _featureId = Guid.NewGuid();
    private readonly string _workRoot;
    private readonly LocalForge _forge;

    public FeatureConsolidatorTests()
    {
        _workRoot = _temp.CreateDirectory("merge-work");
        _forge = new LocalForge(_runner, _time);
    }

    public void Dispose() => _temp.Dispose();

    private FeatureConsolidator Consolidator(TimeSpan? verificationTimeout = null) =>
        Consolidators.Create(_runner, _forge, new ForgeAccess([]), _workRoot, verificationTimeout);

    private string TaskBranch(string taskId) => $"orchestrator/tasks/{_featureId:N}/{taskId}";

    private Task<TestRepository> OriginAsync(string? commands, string notes = "line one\nline two\n")
    {
        var files = new Dictionary<string, string> { ["README.md"] = "# Greeter\n", ["notes.txt"] = notes };
        if (commands is not null)
        {
            files[".orchestrator.json"] = commands;
        }

        return TestRepository.CreateAsync(_temp, _runner, files, _ct);
    }

    // Coder adds hello.txt; Tester builds on the Coder's branch; Docs works from main in parallel.
    private async Task<IReadOnlyList<TaskBranch>> ThreeTasksAsync(TestRepository origin)
    {
        var coder = await origin.CommitAsync("main", TaskBranch("implement"), new Dictionary<string, string> { ["hello.txt"] = "hello\n" }, "Implement");
        var tester = await origin.CommitAsync(TaskBranch("implement"), TaskBranch("test"),
            new Dictionary<string, string> { ["hello.test"] = "expect hello\n" }, "Test");
        var docs = await origin.CommitAsync("main", TaskBranch("document"), new Dictionary<string, string> { ["README.md"] = "# Greeter\n\nSays hello.\n" }, "Document");
        return
        [
            Features.Task("implement", AgentRole.Coder, TaskBranch("implement"), coder),
            Features.Task("test", AgentRole.Tester, TaskBranch("test"), tester, "implement"),
            Features.Task("document", AgentRole.Docs, TaskBranch("document"), docs),
        ];
    }

    // Passes only when all three tasks are in the merged tree.
    private const string VerifyAllThree = """
        { "test": ["sh", "-c", "test -f hello.txt && test -f hello.test && grep -q 'Says hello' README.md && echo 'Passed!  - Failed: 0, Passed: 3'"] }
        """;

    [Fact]
    public async Task Merges_the_task_branches_in_order_verifies_pushes_and_opens_a_pull_request()
    {
        var origin = await OriginAsync(VerifyAllThree);
        var tasks = await ThreeTasksAsync(origin);
        var feature = Features.Consolidate(_featureId, origin.Path, tasks);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var opened = Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        Assert.True(opened.Verification.Passed);
        Assert.Contains("Passed!  - Failed: 0, Passed: 3", opened.Verification.Summary, StringComparison.Ordinal);
        Assert.Equal((0, true, true), (opened.Verification.ExitCode, opened.Verification.Sandboxed, opened.Verification.Ran));
        Assert.Equal(await origin.HeadOfAsync(feature.FeatureBranch), opened.Verification.Commit);
        Assert.StartsWith("sh -c ", opened.Verification.Command, StringComparison.Ordinal);

        var head = await origin.HeadOfAsync(feature.FeatureBranch);
        Assert.NotNull(head);
        // The Tester's branch already holds the Coder's commit, so the Coder's work comes in through it.
        Assert.Equal(
            ["Merge Tester task test: Title of test", "Merge Docs task document: Title of document"],
            (await origin.Bare.RunAsync(_ct, "log", "--first-parent", "--reverse", "--format=%s", $"main..{feature.FeatureBranch}")).Split('\n'));
        foreach (var task in tasks)
        {
            Assert.True(await origin.IsAncestorAsync(task.Commit, head), $"{task.TaskId} is not in the feature branch");
        }

        Assert.Equal(1, opened.PullRequest.Number);
        Assert.Equal(feature.FeatureBranch, opened.PullRequest.Head);
        Assert.Equal("main", opened.PullRequest.Base);
        Assert.Equal(LocalForge.Name, opened.PullRequest.Forge);
        var record = Assert.Single(await _forge.ListAsync(origin.Path, _ct));
        Assert.Equal((1, "Add a greeting", feature.FeatureBranch, "main", "open", _featureId), (record.Number, record.Title, record.Head, record.Base, record.State, record.FeatureId));
        Assert.Contains("Summary of test.", record.Body, StringComparison.Ordinal);
        Assert.True(File.Exists(new Uri(opened.PullRequest.Url).LocalPath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
    }

    [Fact]
    public async Task Consolidating_the_same_feature_twice_updates_the_same_pull_request()
    {
        var origin = await OriginAsync(VerifyAllThree);
        var feature = Features.Consolidate(_featureId, origin.Path, await ThreeTasksAsync(origin));

        var first = Assert.IsType<ConsolidationOutcome.Opened>(await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = Assert.IsType<ConsolidationOutcome.Opened>(await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        Assert.Equal(first.PullRequest, second.PullRequest);
        var record = Assert.Single(await _forge.ListAsync(origin.Path, _ct));
        Assert.Equal(_time.GetUtcNow().AddMinutes(-5), record.CreatedAt);
        Assert.Equal(_time.GetUtcNow(), record.UpdatedAt);
    }

    [Fact]
    public async Task A_redone_task_replaces_the_feature_branch_and_keeps_the_pull_request_number()
    {
        var origin = await OriginAsync("""{ "test": ["sh", "-c", "cat hello.txt"] }""");
        var first = await origin.CommitAsync("main", TaskBranch("implement"), new Dictionary<string, string> { ["hello.txt"] = "hello\n" }, "Attempt 1");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("implement", AgentRole.Coder, TaskBranch("implement"), first)]);
        var before = Assert.IsType<ConsolidationOutcome.Opened>(await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        // A second attempt force-pushes a different history to the task branch.
        var redone = await origin.CommitAsync("main", TaskBranch("implement"), new Dictionary<string, string> { ["hello.txt"] = "hello again\n" }, "Attempt 2");
        var again = feature with { Tasks = [feature.Tasks[0] with { Commit = redone, Attempts = 2 }] };
        var after = Assert.IsType<ConsolidationOutcome.Opened>(await Consolidator().ConsolidateAsync(again, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        Assert.Equal(before.PullRequest.Number, after.PullRequest.Number);
        Assert.Equal("hello again", await origin.ShowAsync(feature.FeatureBranch, "hello.txt"));
        Assert.False(await origin.IsAncestorAsync(first, feature.FeatureBranch));
        Assert.Single(await _forge.ListAsync(origin.Path, _ct));
    }

    [Fact]
    public async Task A_task_branch_moved_after_its_agent_reported_is_not_merged_and_the_reason_names_both_commits()
    {
        var origin = await OriginAsync(commands: null);
        var reported = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var moved = await origin.CommitAsync(TaskBranch("a"), TaskBranch("a"), new Dictionary<string, string> { ["b.txt"] = "unreported\n" }, "Later");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), reported)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(outcome);
        Assert.Contains(reported, refused.Reason, StringComparison.Ordinal);
        Assert.Contains(moved, refused.Reason, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
    }

    [Fact]
    public async Task Two_branches_editing_the_same_line_report_the_conflict_with_its_hunks_and_nothing_is_pushed()
    {
        var origin = await OriginAsync(VerifyAllThree);
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["notes.txt"] = "line one by a\nline two\n" }, "A");
        var b = await origin.CommitAsync("main", TaskBranch("b"), new Dictionary<string, string> { ["notes.txt"] = "line one by b\nline two\n" }, "B");
        var feature = Features.Consolidate(_featureId, origin.Path,
            [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a), Features.Task("b", AgentRole.Docs, TaskBranch("b"), b)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var conflicted = Assert.IsType<ConsolidationOutcome.Conflicted>(outcome);
        Assert.Equal(["notes.txt"], conflicted.ConflictingFiles);
        Assert.Equal("b", conflicted.TaskId);
        Assert.Contains("<<<<<<<", conflicted.Conflicts, StringComparison.Ordinal);
        Assert.Contains("line one by a", conflicted.Conflicts, StringComparison.Ordinal);
        Assert.Contains("line one by b", conflicted.Conflicts, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
    }

    [Fact]
    public async Task Branches_editing_different_lines_of_one_file_merge_cleanly()
    {
        var origin = await OriginAsync("""{ "test": ["sh", "-c", "grep -q 'one by a' notes.txt && grep -q 'two by b' notes.txt"] }""",
            notes: "line one\n\n\n\nline two\n");
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["notes.txt"] = "line one by a\n\n\n\nline two\n" }, "A");
        var b = await origin.CommitAsync("main", TaskBranch("b"), new Dictionary<string, string> { ["notes.txt"] = "line one\n\n\n\nline two by b\n" }, "B");
        var feature = Features.Consolidate(_featureId, origin.Path,
            [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a), Features.Task("b", AgentRole.Docs, TaskBranch("b"), b)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        Assert.True(Assert.IsType<ConsolidationOutcome.Opened>(outcome).Verification.Passed);
    }

    [Fact]
    public async Task A_failing_test_command_reports_the_failed_verification_with_its_output()
    {
        var origin = await OriginAsync("""{ "build": ["true"], "test": ["sh", "-c", "echo boom; exit 1"] }""");
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var failed = Assert.IsType<ConsolidationOutcome.Unverified>(outcome).Verification;
        Assert.False(failed.Passed);
        Assert.Equal("sh -c 'echo boom; exit 1'", failed.Command);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("boom", failed.Summary, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
    }

    [Fact]
    public async Task A_verification_that_outlasts_its_timeout_is_a_failed_verification()
    {
        var origin = await OriginAsync("""{ "test": ["sh", "-c", "echo started; sleep 30"] }""");
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a)]);

        var outcome = await Consolidator(verificationTimeout: TimeSpan.FromSeconds(1)).ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(20), _ct);

        var failed = Assert.IsType<ConsolidationOutcome.Unverified>(outcome).Verification;
        Assert.Contains("Timed out after 00:00:01", failed.Summary, StringComparison.Ordinal);
        Assert.Null(failed.ExitCode);
        Assert.Contains("started", failed.Summary, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
    }

    [Fact]
    public async Task Without_a_build_or_test_command_the_pull_request_is_opened_marked_not_verified()
    {
        var origin = await OriginAsync(commands: null);
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var opened = Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        Assert.Equal("(none)", opened.Verification.Command);
        Assert.False(opened.Verification.Passed);
        Assert.False(opened.Verification.Ran);
        Assert.StartsWith("Not verified", opened.Verification.Summary, StringComparison.Ordinal);
        Assert.NotNull(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Contains("Not verified", Assert.Single(await _forge.ListAsync(origin.Path, _ct)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_only_a_build_command_the_build_verifies_and_the_summary_says_so()
    {
        var origin = await OriginAsync("""{ "build": ["sh", "-c", "test -f a.txt"] }""");
        var a = await origin.CommitAsync("main", TaskBranch("a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), a)]);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var opened = Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        Assert.Equal("sh -c 'test -f a.txt'", opened.Verification.Command);
        Assert.True(opened.Verification.Passed);
        Assert.StartsWith("Build only: the repository has no test command.", opened.Verification.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_no_forge_can_publish_to_is_refused_before_any_work()
    {
        var feature = Features.Consolidate(_featureId, "https://forge.example.invalid/team/repo.git", []);

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(10), _ct);

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(outcome);
        Assert.Equal("no forge is configured that can open a pull request on 'https://forge.example.invalid/team/repo.git'", refused.Reason);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
    }

    [Fact]
    public async Task A_missing_task_branch_is_a_git_error_and_leaves_no_workspace_behind()
    {
        var origin = await OriginAsync(VerifyAllThree);
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("ghost", AgentRole.Coder, TaskBranch("ghost"), "0000000")]);

        var error = await Assert.ThrowsAsync<GitCommandException>(() => Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        Assert.Contains(TaskBranch("ghost"), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
    }
}
