using static Orchestrator.Workspaces.Tests.GitSandbox;

namespace Orchestrator.Workspaces.Tests;

public sealed class GitMergeTests : IDisposable
{
    private readonly GitSandbox sandbox = new();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public void Dispose() => sandbox.Dispose();

    [Fact]
    public async Task Merge_keeping_conflicts_lists_names_git_would_quote_verbatim_and_leaves_the_merge_in_progress()
    {
        // Without -z git quotes this name ("say \"hi\"\tnow.txt") and a parser would get it wrong.
        const string name = "say \"hi\"\tnow.txt";
        var clone = await sandbox.CloneWithConflictingBranchesAsync(name);

        var outcome = await clone.MergeKeepingConflictsAsync("left", "Merge left into right", ct);

        Assert.False(outcome.Merged);
        Assert.Equal([name], outcome.ConflictingFiles);
        Assert.Equal([name], await clone.ConflictingFilesAsync(ct));
        Assert.NotNull(await clone.TryResolveAsync("MERGE_HEAD", ct));
        Assert.Contains("<<<<<<< ", File.ReadAllText(Path.Combine(clone.WorkingDirectory, name)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Working_tree_diff_shows_the_conflicting_hunks_with_their_markers()
    {
        var clone = await sandbox.CloneWithConflictingBranchesAsync("README.md");
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", ct);

        var diff = await clone.WorkingTreeDiffAsync(ct);

        Assert.Contains("<<<<<<<", diff, StringComparison.Ordinal);
        Assert.Contains("right", diff, StringComparison.Ordinal);
        Assert.Contains("left", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_merge_restores_the_branch_and_does_nothing_without_a_merge()
    {
        var clone = await sandbox.CloneWithConflictingBranchesAsync("README.md");
        var before = await clone.HeadAsync(ct);
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", ct);

        await clone.AbortMergeAsync(ct);
        await clone.AbortMergeAsync(ct);

        Assert.Null(await clone.TryResolveAsync("MERGE_HEAD", ct));
        Assert.Equal(before, await clone.HeadAsync(ct));
        Assert.Empty(await clone.ChangedFilesAsync(ct));
    }

    [Fact]
    public async Task Commit_merge_concludes_a_resolved_merge_with_both_parents()
    {
        var clone = await sandbox.CloneWithConflictingBranchesAsync("README.md");
        var right = await clone.HeadAsync(ct);
        await clone.MergeKeepingConflictsAsync("left", "Merge left into right", ct);
        Write(clone, "README.md", "line one\nleft and right\n");

        await clone.CommitMergeAsync(ct);

        var parents = (await clone.RunAsync(ct, "rev-list", "--parents", "-n", "1", "HEAD")).Split(' ');
        Assert.Equal([right, await clone.ResolveAsync("left", ct)], parents[1..]);
        Assert.Empty(await clone.ChangedFilesAsync(ct));
        Assert.True(File.Exists(Path.Combine(clone.WorkingDirectory, "left-only.txt")));
    }

    [Fact]
    public async Task Commit_merge_without_a_merge_in_progress_throws()
    {
        var clone = await sandbox.CloneAsync(await sandbox.CreateOriginAsync(), "work");
        Write(clone, "x.txt", "x\n");

        await Assert.ThrowsAsync<GitCommandException>(() => clone.CommitMergeAsync(ct));
    }

    [Fact]
    public async Task Merge_keeping_conflicts_of_an_unknown_revision_throws_and_leaves_no_merge_behind()
    {
        var clone = await sandbox.CloneAsync(await sandbox.CreateOriginAsync(), "work");

        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.MergeKeepingConflictsAsync("no-such-branch", "Merge", ct));

        Assert.Contains("no-such-branch", error.Message);
        Assert.Null(await clone.TryResolveAsync("MERGE_HEAD", ct));
    }

    [Fact]
    public async Task Is_ancestor_answers_yes_and_no_and_throws_for_an_unknown_revision()
    {
        var clone = await sandbox.CloneWithConflictingBranchesAsync("README.md");

        Assert.True(await clone.IsAncestorAsync("main", "left", ct));
        Assert.False(await clone.IsAncestorAsync("left", "right", ct));
        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.IsAncestorAsync("no-such-branch", "left", ct));
        Assert.Contains("merge-base", error.Message);
    }
}
