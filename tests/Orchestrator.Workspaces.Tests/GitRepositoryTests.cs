using static Orchestrator.Workspaces.Tests.GitSandbox;

namespace Orchestrator.Workspaces.Tests;

public sealed class GitRepositoryTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Clones_a_branch_commits_and_pushes_a_new_branch()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        Assert.True(File.Exists(Path.Combine(clone.WorkingDirectory, "README.md")));

        await clone.CreateBranchAsync("feature/one", _ct);
        Write(clone, "src/new.txt", "hello\n");
        var sha = await clone.CommitAllAsync("Add new.txt", _ct);
        await clone.PushAsync("feature/one", force: false, _ct);

        Assert.NotNull(sha);
        Assert.Matches("^[0-9a-f]{40}$", sha);
        Assert.Equal(sha, await clone.HeadAsync(_ct));
        Assert.True(await clone.RemoteBranchExistsAsync(origin, "feature/one", _ct));
        Assert.False(await clone.RemoteBranchExistsAsync(origin, "feature/two", _ct));
        Assert.Equal(sha, await new GitRepository(_sandbox.Runner, origin).ResolveAsync("refs/heads/feature/one", _ct));
    }

    [Fact]
    public async Task Force_push_replaces_a_rewritten_branch()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        await clone.CreateBranchAsync("topic", _ct);
        Write(clone, "a.txt", "first\n");
        await clone.CommitAllAsync("First", _ct);
        await clone.PushAsync("topic", force: false, _ct);

        await clone.RunAsync(_ct, "reset", "--hard", "origin/main");
        Write(clone, "a.txt", "rewritten\n");
        var rewritten = await clone.CommitAllAsync("Rewritten", _ct);

        await Assert.ThrowsAsync<GitCommandException>(() => clone.PushAsync("topic", force: false, _ct));
        await clone.PushAsync("topic", force: true, _ct);
        Assert.Equal(rewritten, await new GitRepository(_sandbox.Runner, origin).ResolveAsync("refs/heads/topic", _ct));
    }

    [Fact]
    public async Task Fetches_a_branch_pushed_by_another_clone()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var first = await _sandbox.CloneAsync(origin, "first");
        var second = await _sandbox.CloneAsync(origin, "second");
        await first.CreateBranchAsync("shared", _ct);
        Write(first, "shared.txt", "x\n");
        var sha = await first.CommitAllAsync("Shared", _ct);
        await first.PushAsync("shared", force: false, _ct);

        await second.FetchAsync("shared", _ct);

        Assert.Equal(sha, await second.ResolveAsync("origin/shared", _ct));
    }

    [Fact]
    public async Task Merges_without_conflict_into_a_merge_commit()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        await clone.CreateBranchAsync("left", _ct);
        Write(clone, "left.txt", "left\n");
        await clone.CommitAllAsync("Left", _ct);
        await clone.RunAsync(_ct, "checkout", "main");
        await clone.CreateBranchAsync("right", _ct);
        Write(clone, "right.txt", "right\n");
        await clone.CommitAllAsync("Right", _ct);

        var outcome = await clone.MergeAsync("left", "Merge left into right", _ct);

        Assert.True(outcome.Merged);
        Assert.Empty(outcome.ConflictingFiles);
        var parents = (await clone.RunAsync(_ct, "rev-list", "--parents", "-n", "1", "HEAD")).Split(' ');
        Assert.Equal(3, parents.Length);
        Assert.Equal("Merge left into right", await clone.RunAsync(_ct, "log", "-1", "--format=%s"));
        Assert.True(File.Exists(Path.Combine(clone.WorkingDirectory, "left.txt")));
        Assert.Empty(await clone.ChangedFilesAsync(_ct));
    }

    [Fact]
    public async Task Merge_with_a_conflict_returns_the_conflicting_file_and_leaves_a_clean_tree()
    {
        var clone = await _sandbox.CloneWithConflictingBranchesAsync("README.md");
        var before = await clone.HeadAsync(_ct);

        var outcome = await clone.MergeAsync("left", "Merge left into right", _ct);

        Assert.False(outcome.Merged);
        Assert.Equal(["README.md"], outcome.ConflictingFiles);
        Assert.Empty(await clone.ChangedFilesAsync(_ct));
        Assert.Equal(before, await clone.HeadAsync(_ct));
        Assert.False((await clone.TryRunAsync(_ct, "rev-parse", "-q", "--verify", "MERGE_HEAD")).Succeeded);
        Assert.Equal("line one\nright\n", File.ReadAllText(Path.Combine(clone.WorkingDirectory, "README.md")));
        Assert.False(File.Exists(Path.Combine(clone.WorkingDirectory, "left-only.txt")));
    }

    [Fact]
    public async Task Merge_of_an_unknown_revision_throws_and_leaves_the_repository_as_it_was()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        var before = await clone.HeadAsync(_ct);

        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.MergeAsync("no-such-branch", "Merge", _ct));

        Assert.Contains("no-such-branch", error.Message);
        Assert.Equal(before, await clone.HeadAsync(_ct));
    }

    [Fact]
    public async Task Lists_changed_files_including_untracked_ones()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        Assert.Empty(await clone.ChangedFilesAsync(_ct));

        Write(clone, "README.md", "changed\n");
        Write(clone, "brand new.txt", "untracked\n");
        Write(clone, "nested/dir/deep.cs", "untracked\n");
        File.Delete(Path.Combine(clone.WorkingDirectory, "other.txt"));

        var changed = await clone.ChangedFilesAsync(_ct);

        Assert.Equal(
            ["README.md", "brand new.txt", "nested/dir/deep.cs", "other.txt"],
            changed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parses_renames_in_porcelain_output_as_both_paths()
    {
        var files = GitRepository.ParsePorcelainZ("R  new name.txt\0old name.txt\0 M src/a.cs\0?? b.txt\0");

        Assert.Equal(["new name.txt", "old name.txt", "src/a.cs", "b.txt"], files);
    }

    [Fact]
    public async Task Commit_all_returns_null_when_there_is_nothing_to_commit()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        var head = await clone.HeadAsync(_ct);

        Assert.Null(await clone.CommitAllAsync("Nothing", _ct));
        Assert.Equal(head, await clone.HeadAsync(_ct));
    }

    [Fact]
    public async Task Does_not_run_repository_hooks()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        var hook = Path.Combine(clone.WorkingDirectory, ".git", "hooks", "pre-commit");
        var marker = _sandbox.Combine("hook-ran");
        File.WriteAllText(hook, $"#!/bin/sh\ntouch '{marker}'\nexit 1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write(clone, "x.txt", "x\n");

        Assert.NotNull(await clone.CommitAllAsync("With a hostile hook", _ct));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_throws_with_the_arguments_and_output_on_failure()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");

        var error = await Assert.ThrowsAsync<GitCommandException>(() => clone.RunAsync(_ct, "rev-parse", "--verify", "nope-ref"));

        Assert.Contains("git rev-parse --verify nope-ref", error.Message);
        Assert.Contains("fatal", error.Output);
        var result = await clone.TryRunAsync(_ct, "rev-parse", "--verify", "nope-ref");
        Assert.False(result.Succeeded);
        Assert.Equal(128, result.ExitCode);
    }

    [Fact]
    public async Task Clone_of_a_missing_branch_throws_with_gits_output()
    {
        var origin = await _sandbox.CreateOriginAsync();

        var error = await Assert.ThrowsAsync<GitCommandException>(
            () => GitRepository.CloneAsync(_sandbox.Runner, origin, "does-not-exist", _sandbox.Combine("work"), _ct));

        Assert.Contains("does-not-exist", error.Output);
    }

    [Fact]
    public async Task Clones_from_a_file_url()
    {
        var origin = await _sandbox.CreateOriginAsync();

        var clone = await GitRepository.CloneAsync(_sandbox.Runner, new Uri(origin).AbsoluteUri, "main", _sandbox.Combine("via-url"), _ct);

        Assert.Equal("line one\nline two\n", File.ReadAllText(Path.Combine(clone.WorkingDirectory, "README.md")));
    }

    [Fact]
    public async Task Does_not_fall_back_to_an_enclosing_repository()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");
        var notARepository = Path.Combine(clone.WorkingDirectory, "plain");
        Directory.CreateDirectory(notARepository);

        var result = await new GitRepository(_sandbox.Runner, notARepository).TryRunAsync(_ct, "status");

        Assert.False(result.Succeeded);
        Assert.Contains("not a git repository", result.Output);
    }

    [Fact]
    public async Task Refuses_branch_names_that_git_would_read_as_options()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var clone = await _sandbox.CloneAsync(origin, "work");

        await Assert.ThrowsAsync<ArgumentException>(() => clone.CreateBranchAsync("--orphan", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => clone.PushAsync("a..b", force: false, _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => clone.MergeAsync("--abort", "x", _ct));
    }
}
