using static Orchestrator.Workspaces.Tests.GitSandbox;

namespace Orchestrator.Workspaces.Tests;

public sealed class GitRepositoryOperationsTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Init_bare_creates_a_repository_once_and_set_head_names_its_default_branch()
    {
        var path = _sandbox.Combine("staging", "feature.git");

        var bare = await GitRepository.InitBareAsync(_sandbox.Runner, path, initialBranch: null, _ct);
        await GitRepository.InitBareAsync(_sandbox.Runner, path, initialBranch: null, _ct);
        await bare.SetHeadAsync("orchestrator/base", _ct);

        Assert.Equal(Path.GetFullPath(path), await bare.GitDirectoryAsync(_ct));
        Assert.Equal("refs/heads/orchestrator/base", await bare.RunAsync(_ct, "symbolic-ref", "HEAD"));
    }

    [Fact]
    public async Task Init_creates_a_working_copy_on_the_initial_branch()
    {
        var repository = await GitRepository.InitAsync(_sandbox.Runner, _sandbox.Combine("work"), "trunk", _ct);

        Assert.Equal(Path.Combine(repository.WorkingDirectory, ".git"), await repository.GitDirectoryAsync(_ct));
        Assert.Equal("refs/heads/trunk", await repository.RunAsync(_ct, "symbolic-ref", "HEAD"));
    }

    [Fact]
    public async Task Resolve_names_a_commit_and_try_resolve_answers_null_for_none()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");
        var head = await clone.HeadAsync(_ct);

        Assert.Equal(head, await clone.ResolveAsync("origin/main", _ct));
        Assert.Null(await clone.TryResolveAsync("refs/heads/nope", _ct));
        await Assert.ThrowsAsync<GitCommandException>(() => clone.ResolveAsync("refs/heads/nope", _ct));
    }

    [Fact]
    public async Task Resolve_outside_a_repository_throws_instead_of_answering_none()
    {
        var notARepository = Directory.CreateDirectory(_sandbox.Combine("plain")).FullName;

        var error = await Assert.ThrowsAsync<GitCommandException>(
            () => new GitRepository(_sandbox.Runner, notARepository).TryResolveAsync("HEAD", _ct));

        Assert.Contains("exit code 128", error.Message);
    }

    [Fact]
    public async Task Fetches_a_branch_of_a_named_remote_and_throws_for_a_missing_one()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var pusher = await _sandbox.CloneAsync(origin, "pusher");
        await pusher.CreateBranchAsync("tasks/one", _ct);
        Write(pusher, "one.txt", "one\n");
        var sha = await pusher.CommitAllAsync("One", _ct);
        await pusher.PushAsync("tasks/one", force: false, _ct);
        var other = await GitRepository.InitAsync(_sandbox.Runner, _sandbox.Combine("other"), "main", _ct);

        await other.AddRemoteAsync("work", origin, _ct);
        await other.FetchAsync("work", "tasks/one", _ct);

        Assert.Equal(sha, await other.ResolveAsync("work/tasks/one", _ct));
        var error = await Assert.ThrowsAsync<GitCommandException>(() => other.FetchAsync("work", "tasks/none", _ct));
        Assert.Contains("tasks/none", error.Output);
    }

    [Fact]
    public async Task Fetch_branch_from_mirrors_a_branch_into_a_bare_repository_and_throws_for_a_missing_one()
    {
        var origin = await _sandbox.CreateOriginAsync();
        var bare = await GitRepository.InitBareAsync(_sandbox.Runner, _sandbox.Combine("mirror.git"), initialBranch: null, _ct);

        await bare.FetchBranchFromAsync(origin, "main", _ct);

        Assert.Equal(await new GitRepository(_sandbox.Runner, origin).ResolveAsync("main", _ct), await bare.ResolveAsync("refs/heads/main", _ct));
        var error = await Assert.ThrowsAsync<GitCommandException>(() => bare.FetchBranchFromAsync(origin, "missing", _ct));
        Assert.Contains("missing", error.Output);
    }

    [Fact]
    public async Task Commits_trailers_as_the_last_paragraph_one_line_each()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");
        Write(clone, "x.txt", "x\n");

        var sha = await clone.CommitAllAsync("Title\n\nBody.", [new("Orchestrator-Task", "t1"), new("Orchestrator-Model", "two\nlines")], _ct);

        Assert.Equal("t1", await clone.RunAsync(_ct, "log", "-1", "--format=%(trailers:key=Orchestrator-Task,valueonly)", sha!));
        Assert.Equal("two lines", await clone.RunAsync(_ct, "log", "-1", "--format=%(trailers:key=Orchestrator-Model,valueonly)", sha!));
        Assert.Equal("Title\n\nBody.\n\nOrchestrator-Task: t1\nOrchestrator-Model: two lines", await clone.RunAsync(_ct, "log", "-1", "--format=%B", sha!));
    }

    [Fact]
    public async Task Reads_a_commit_back_as_its_subject_body_trailers_and_the_files_it_changed()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");
        Write(clone, "x.txt", "x\n");
        Write(clone, "docs/y.md", "y\n");
        var sha = await clone.CommitAllAsync("Title\n\nFirst line.\n\nSecond paragraph.", [new("Orchestrator-Task", "t1"), new("Orchestrator-Attempt", "2")], _ct);

        var commit = await clone.ReadCommitAsync("HEAD", _ct);

        Assert.Equal(sha, commit.Commit);
        Assert.Equal("Title", commit.Subject);
        Assert.Equal("First line.\n\nSecond paragraph.", commit.Body);
        Assert.Equal([new("Orchestrator-Task", "t1"), new("Orchestrator-Attempt", "2")], commit.Trailers);
        Assert.Equal("2", commit.Trailer("orchestrator-attempt"));
        Assert.Null(commit.Trailer("Orchestrator-Feature"));
        Assert.Equal(["docs/y.md", "x.txt"], commit.ChangedFiles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_trailer_key_that_is_not_a_token()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");
        Write(clone, "x.txt", "x\n");

        await Assert.ThrowsAsync<ArgumentException>(() => clone.CommitAllAsync("Title", [new("Bad Key", "v")], _ct));
    }

    [Fact]
    public async Task Refuses_repository_locations_and_remote_names_git_would_read_as_options()
    {
        var clone = await _sandbox.CloneAsync(await _sandbox.CreateOriginAsync(), "work");

        await Assert.ThrowsAsync<ArgumentException>(() => clone.AddRemoteAsync("--mirror", "x", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => clone.FetchBranchFromAsync("--upload-pack=evil", "main", _ct));
        await Assert.ThrowsAsync<ArgumentException>(() => clone.IsAncestorAsync("--all", "main", _ct));
    }
}
