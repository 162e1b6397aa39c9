using System.Net;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// A target repository with 2,000 branches, its base branch sorted in the middle of them (as <c>main</c> sits between
/// <c>feature/…</c> and <c>release/…</c>). What the system reads of it stays bounded — the repository check asks for
/// the base branch only, and staging copies the base branch only — and the feature is accepted as for any repository.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class ManyBranchesPayloads(ApiUnderAttack api) : IAsyncLifetime
{
    private const int Branches = 2_000;

    private readonly TempDirectory _temp = new();
    private TestRepository _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _origin = await TestRepository.CreateAsync(_temp, Runners.Create(), new Dictionary<string, string> { ["README.md"] = "# Busy\n" },
            TestContext.Current.CancellationToken);
        var main = await _origin.HeadOfAsync("main");

        // git's own on-disk format for many refs (what `git pack-refs` writes): one "<object> <ref>" line each.
        var refs = new StringBuilder();
        for (var i = 0; i < Branches / 2; i++)
        {
            refs.Append($"{main} refs/heads/feature/topic-{i:D4}\n").Append($"{main} refs/heads/release/{i:D4}\n");
        }

        await File.AppendAllTextAsync(Path.Combine(_origin.Path, "packed-refs"), refs.ToString(), TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_repository_has_the_branches_the_payload_needs()
    {
        var heads = await _origin.Bare.RunAsync(TestContext.Current.CancellationToken, "for-each-ref", "--format=%(refname)", "refs/heads/");

        Assert.Equal(Branches + 1, heads.Split('\n').Length);
    }

    [Fact]
    public async Task A_submission_against_it_is_checked_and_accepted()
    {
        var answer = await api.SubmitAsync(ApiUnderAttack.Submission(_origin.Path));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.Body);
    }

    [Fact]
    public async Task Staging_copies_the_base_branch_and_none_of_the_others()
    {
        await using var server = await StagingServer.StartAsync(_temp, Runners.Create());
        var feature = Guid.NewGuid();

        Assert.IsType<WorkRepositoryPrepared>(await server.PrepareAsync(feature, _origin.Path));
        var staged = await server.Staged(feature).RunAsync(TestContext.Current.CancellationToken, "for-each-ref", "--format=%(refname)");

        Assert.Equal("refs/heads/main", staged);
    }
}
