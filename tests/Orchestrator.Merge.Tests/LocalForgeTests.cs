using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

public sealed class LocalForgeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private async Task<string> BareRepositoryAsync()
    {
        var path = _temp.CreateDirectory("origin.git");
        await GitRepository.InitBareAsync(_runner, path, "main", _ct);
        return path;
    }

    private static PullRequestDraft Draft(string repository, string head, string title = "Title", string body = "Body") =>
        new(Guid.NewGuid(), repository, head, "main", title, body);

    [Fact]
    public async Task Numbers_pull_requests_for_different_heads_one_two_and_keeps_one_per_head()
    {
        var repository = await BareRepositoryAsync();
        var forge = new LocalForge(_runner, _time);

        var first = await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/a"), _ct);
        var second = await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/b"), _ct);
        var firstAgain = await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/a", title: "Renamed"), _ct);

        Assert.Equal((1, 2, 1), (first.Number, second.Number, firstAgain.Number));
        var pulls = await forge.ListAsync(repository, _ct);
        Assert.Equal([(1, "orchestrator/a", "Renamed"), (2, "orchestrator/b", "Title")], pulls.Select(p => (p.Number, p.Head, p.Title)));
    }

    [Fact]
    public async Task Updating_a_pull_request_keeps_its_number_and_creation_time_and_replaces_title_and_body()
    {
        var repository = await BareRepositoryAsync();
        var forge = new LocalForge(_runner, _time);
        var created = _time.GetUtcNow();

        await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/a", "First title", "First body"), _ct);
        _time.Advance(TimeSpan.FromHours(1));
        await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/a", "Second title", "Second body"), _ct);

        var pull = Assert.Single(await forge.ListAsync(repository, _ct));
        Assert.Equal(("Second title", "Second body", "open"), (pull.Title, pull.Body, pull.State));
        Assert.Equal(created, pull.CreatedAt);
        Assert.Equal(created.AddHours(1), pull.UpdatedAt);
    }

    [Fact]
    public async Task Stores_each_pull_request_as_json_in_the_git_directory_and_links_to_it()
    {
        var repository = await BareRepositoryAsync();
        var forge = new LocalForge(_runner, _time);

        var info = await forge.OpenOrUpdateAsync(Draft(repository, "orchestrator/a"), _ct);

        var file = Path.Combine(repository, "orchestrator", "pulls", "1.json");
        Assert.Equal(new Uri(file).AbsoluteUri, info.Url);
        Assert.Equal((repository, "local", "orchestrator/a", "main"), (info.Repository, info.Forge, info.Head, info.Base));
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(1, json.RootElement.GetProperty("number").GetInt32());
        Assert.Equal("orchestrator/a", json.RootElement.GetProperty("head").GetString());
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(file)!, "*.tmp"));
    }

    [Fact]
    public async Task A_working_copy_keeps_its_pull_requests_inside_dot_git()
    {
        var path = _temp.CreateDirectory("working");
        await GitRepository.InitAsync(_runner, path, "main", _ct);
        var forge = new LocalForge(_runner, _time);

        var info = await forge.OpenOrUpdateAsync(Draft(path, "orchestrator/a"), _ct);

        Assert.Equal(Path.Combine(path, ".git", "orchestrator", "pulls", "1.json"), new Uri(info.Url).LocalPath);
    }

    [Fact]
    public async Task Concurrent_openings_for_different_heads_get_distinct_numbers()
    {
        var repository = await BareRepositoryAsync();

        var infos = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            Task.Run(() => new LocalForge(_runner, _time).OpenOrUpdateAsync(Draft(repository, $"orchestrator/f{i}"), _ct), _ct)))
            .WaitAsync(TimeSpan.FromSeconds(60), _ct);

        Assert.Equal([1, 2, 3, 4, 5, 6], infos.Select(i => i.Number).Order());
        Assert.Equal(6, (await new LocalForge(_runner, _time).ListAsync(repository, _ct)).Count);
    }

    [Fact]
    public async Task A_repository_without_pull_requests_lists_none()
    {
        var repository = await BareRepositoryAsync();

        Assert.Empty(await new LocalForge(_runner, _time).ListAsync(repository, _ct));
    }

    [Fact]
    public void Publishes_only_to_repositories_reached_by_path_or_file_url()
    {
        var forge = new LocalForge(_runner, _time);

        Assert.True(forge.CanPublishTo(_temp.Path));
        Assert.True(forge.CanPublishTo(new Uri(_temp.Path).AbsoluteUri));
        Assert.False(forge.CanPublishTo("https://github.com/example/repo.git"));
        Assert.False(forge.CanPublishTo("git@github.com:example/repo.git"));
        Assert.False(forge.CanPublishTo("relative/path"));
        Assert.Equal(_temp.Path, LocalForge.LocalPath(new Uri(_temp.Path).AbsoluteUri));
    }
}
