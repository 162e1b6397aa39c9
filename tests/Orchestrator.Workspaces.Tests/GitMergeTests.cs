using static Orchestrator.Workspaces.Tests.GitSandbox;

namespace Orchestrator.Workspaces.Tests;

public sealed class GitMergeTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Merge_keeping_conflicts_lists_names_git_would_quote_verbatim_and_leaves_the_merge_in_progress()
    {
        // Without -z git quotes this name ("say \"hi\"\tnow.txt") and a parser would get it wrong.
        const string name = "say \"hi\"\tnow.txt";
        var clone = await _sandbox.CloneWithConflictingBranchesAsync(name);

        var outcome = await clone.MergeKeepingConflictsAsync("left", "Merge left into right", _ct);

        Assert.False(outcome.Merged);
        Assert.Equal([name], outcome.ConflictingFiles);
        Assert.Equal([name], await clone.ConflictingFilesAsync(_ct));
        Assert.NotNull(await clone.TryResolveAsync("MERGE_HEAD", _ct));
        Assert.Contains("<<<<<<< ", File.ReadAllText(Path.Combine(clone.WorkingDirectory, name)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Working_tree_diff_shows_the_conflicting_hunks_with_their_markers()
    {
        var clone = await _sandbox.CloneWithConflictingBranchesAsync("README.md");
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", _ct);

        var diff = await clone.WorkingTreeDiffAsync(_ct);

        Assert.Contains("<<<<<<<", diff, StringComparison.Ordinal);
        Assert.Contains("right", diff, StringComparison.Ordinal);
        Assert.Contains("left", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_merge_restores_the_branch_and_does_nothing_without_a_merge()
    {
        var clone = await _sandbox.CloneWithConflictingBranchesAsync("README.md");
        var before = await clone.HeadAsync(_ct);
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", _ct);

        await clone.AbortMergeAsync(_ct);
        await clone.AbortMergeAsync(_ct);

        Assert.Null(await clone.TryResolveAsync("MERGE_HEAD", _ct));
        Assert.Equal(before, await clone.HeadAsync(_ct));
        Assert.Empty(await clone.ChangedFilesAsync(_ct));
    }

    [Fact]
    public async Task Commit_merge_concludes_a_resolved_merge_with_both_parents()
    {
        var clone = await _sandbox.CloneWithConflictingBranchesAsync("README.md");
        var right = await clone.HeadAsync(_ct);
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", _ct);
        Write(clone, "README.md", "line one\nleft and right\n");

        await clone.CommitMergeAsync(_ct);

        var parents = (await clone.RunAsync(_ct, "rev-list", "--parents", "-n", "1", "HEAD")).Split(' ');
        Assert.Equal([right, await clone.ResolveAsync("left", _ct)], parents[1..]);
        Assert.Empty(await clone.ChangedFilesAsync(_ct));
        Assert.True(File.Exists(Path.Combine(clone.WorkingDirectory, "left-only.txt")));
    }

    [Fact]
    public async Task Commit_merge_without_a_merge_in_progress_throws()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");
        Write(clone, "x.txt", "x\n");

        await Assert.ThrowsAsync<GitCommandException>(() => clone.CommitMergeAsync(_ct));
    }

    [Fact]
    public async Task Merge_keeping_conflicts_of_an_unknown_revision_throws_and_leaves_no_merge_behind()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");

        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.MergeKeepingConflictsAsync("no-such-branch", "Merge", _ct));

        Assert.Contains("no-such-branch", error.Message);
        Assert.Null(await clone.TryResolveAsync("MERGE_HEAD", _ct));
    }

    [Fact]
    public async Task Is_ancestor_answers_yes_and_no_and_throws_for_an_unknown_revision()
    {
        var clone = await _sandbox.CloneWithConflictingBranchesAsync("README.md");

        Assert.True(await clone.IsAncestorAsync("main", "left", _ct));
        Assert.False(await clone.IsAncestorAsync("left", "right", _ct));
        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.IsAncestorAsync("no-such-branch", "left", _ct));
        Assert.Contains("merge-base", error.Message);
    }
}
