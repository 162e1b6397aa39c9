using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

/// <summary>
/// The merge service as Program.cs builds it (<see cref="MergeServiceExtensions.AddMergeServices"/>), with MassTransit's
/// in-memory test harness in place of RabbitMQ: ConsolidateFeature in, PullRequestOpened or ConsolidationFailed out.
/// </summary>
public sealed class ConsolidateFeatureSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private IHost _host = null!;
    private ITestHarness _harness = null!;
    private TestRepository _origin = null!;
    private string _workRoot = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Only for the RabbitMQ registration the harness replaces; nothing connects to it.
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@localhost:5672/",
            ["Merge:WorkRoot"] = _workRoot = _temp.CreateDirectory("merge-work"),
            ["Merge:VerificationTimeout"] = "00:01:00",
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper));
        builder.AddMergeServices();
        builder.Services.AddMassTransitTestHarness(TextWriter.Null, x => x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2)));
        _host = builder.Build();
        await _host.StartAsync(_ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);
        _harness = _host.Services.GetRequiredService<ITestHarness>();

        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["notes.txt"] = "line one\n",
            [".orchestrator.json"] = """{ "test": ["sh", "-c", "test -f a.txt && echo 'Passed!  - Failed: 0, Passed: 1'"] }""",
        }, _ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            _host.Dispose();
        }
        finally
        {
            _temp.Dispose();
        }
    }

    private static string Branch(Guid feature, string task) => $"orchestrator/tasks/{feature:N}/{task}";

    private async Task SendAsync(ConsolidateFeature feature)
    {
        var endpoint = await _harness.Bus.GetSendEndpoint(Queues.Address(Queues.Merge));
        await endpoint.Send(feature, _ct).WaitAsync(TimeSpan.FromSeconds(10), _ct);
    }

    private Task<object> OutcomeAsync(Guid featureId, int occurrence = 1) =>
        _harness.OutcomeAsync(m => m switch
        {
            PullRequestOpened o => o.FeatureId == featureId,
            ConsolidationFailed f => f.FeatureId == featureId,
            MergeConflicted c => c.FeatureId == featureId,
            VerificationFailed v => v.FeatureId == featureId,
            Fault<ConsolidateFeature> f => f.Message.FeatureId == featureId,
            _ => false,
        }, $"feature {featureId}", occurrence);

    [Fact]
    public async Task Publishes_PullRequestOpened_with_the_verification_and_answers_a_redelivery_with_the_same_one_without_consolidating_again()
    {
        var feature = Guid.NewGuid();
        var commit = await _origin.CommitAsync("main", Branch(feature, "a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        // With heartbeats, each consolidation that runs announces itself once (ConsolidationStarted).
        var message = Features.Consolidate(feature, _origin.Path, [Features.Task("a", AgentRole.Coder, Branch(feature, "a"), commit)])
            with { HeartbeatInterval = TimeSpan.FromMinutes(1) };

        await SendAsync(message);
        var first = Assert.IsType<PullRequestOpened>(await OutcomeAsync(feature));
        await SendAsync(message);
        var second = Assert.IsType<PullRequestOpened>(await OutcomeAsync(feature, occurrence: 2));

        Assert.True(first.Verification.Passed);
        Assert.Equal("Passed!  - Failed: 0, Passed: 1", first.Verification.Summary);
        Assert.Equal(1, first.PullRequest.Number);
        Assert.Equal(first.PullRequest, second.PullRequest);
        Assert.Equal(message.FeatureBranch, first.PullRequest.Head);
        // The feature was completed on the first answer: its branch stays the commit that answer verified.
        Assert.Equal(first.Verification, second.Verification);
        Assert.Equal(first.Verification.Commit, await _origin.HeadOfAsync(message.FeatureBranch));
        Assert.Single(_harness.PublishedSoFar<ConsolidationStarted>(), started => started.FeatureId == feature);
    }

    [Fact]
    public async Task Publishes_ConsolidationStarted_and_heartbeats_while_it_verifies_before_its_outcome()
    {
        // Verification (in the sandbox, on a copy) holds the consolidation until the test drops a file into that copy.
        using var temp = new TempDirectory();
        var origin = await TestRepository.CreateAsync(temp, _runner, new Dictionary<string, string>
        {
            [".orchestrator.json"] = """{ "test": ["sh", "-c", "while [ ! -f release ]; do sleep 0.05; done; echo Passed"] }""",
        }, _ct);
        var feature = Guid.NewGuid();
        var commit = await origin.CommitAsync("main", Branch(feature, "a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var message = Features.Consolidate(feature, origin.Path, [Features.Task("a", AgentRole.Coder, Branch(feature, "a"), commit)])
            with { HeartbeatInterval = TimeSpan.FromMilliseconds(50) };

        await SendAsync(message);
        var started = await _harness.PublishedAsync<ConsolidationStarted>(m => m.FeatureId == feature);
        await Eventually.TrueAsync(
            () => _harness.PublishedSoFar<ConsolidationHeartbeat>().Count(m => m.FeatureId == feature) >= 3, "three heartbeats while verification runs");

        Assert.Empty(_harness.PublishedSoFar<PullRequestOpened>());
        var instance = $"merge@{Environment.MachineName}/{Environment.ProcessId}";
        Assert.Equal(instance, started.Instance);
        Assert.All(_harness.PublishedSoFar<ConsolidationHeartbeat>(), beat => Assert.Equal(instance, beat.Instance));

        var copy = await Eventually.ValueAsync(() => Directory.GetDirectories(_workRoot, $"{feature:N}-*-verify").SingleOrDefault(), "the verification copy");
        await File.WriteAllTextAsync(Path.Combine(copy, "release"), "", _ct);
        Assert.True(Assert.IsType<PullRequestOpened>(await OutcomeAsync(feature)).Verification.Passed);
    }

    [Fact]
    public async Task A_feature_to_review_is_answered_with_FeatureVerified_and_published_later_from_the_same_queue()
    {
        var feature = Guid.NewGuid();
        var commit = await _origin.CommitAsync("main", Branch(feature, "a"), new Dictionary<string, string> { ["a.txt"] = "a\n" }, "A");
        var message = Features.Consolidate(feature, _origin.Path, [Features.Task("a", AgentRole.Coder, Branch(feature, "a"), commit)])
            with { ReviewBranch = Branch(feature, "review-1"), HeartbeatInterval = TimeSpan.FromMinutes(1) };

        await SendAsync(message);
        var verified = await _harness.PublishedAsync<FeatureVerified>(m => m.FeatureId == feature);
        Assert.DoesNotContain(_harness.PublishedSoFar<PullRequestOpened>(), m => m.FeatureId == feature);
        var endpoint = await _harness.Bus.GetSendEndpoint(Queues.Address(Queues.Merge));
        await endpoint.Send(new PublishReviewedFeature(message, verified.ReviewBranch, verified.Verification,
            new PullRequestReview(ReviewOutcome.Approved, "Fine.", [], 1)), _ct).WaitAsync(TimeSpan.FromSeconds(10), _ct);

        var opened = Assert.IsType<PullRequestOpened>(await OutcomeAsync(feature));
        Assert.Equal(verified.Verification.Commit, await _origin.HeadOfAsync(message.FeatureBranch));
        Assert.Equal(verified.Verification.Commit, opened.Verification.Commit);
        Assert.Equal(2, _harness.PublishedSoFar<ConsolidationStarted>().Count(started => started.FeatureId == feature));
    }

    [Fact]
    public async Task Publishes_MergeConflicted_with_the_conflicting_files_and_hunks()
    {
        var feature = Guid.NewGuid();
        var a = await _origin.CommitAsync("main", Branch(feature, "a"), new Dictionary<string, string> { ["notes.txt"] = "by a\n", ["a.txt"] = "a\n" }, "A");
        var b = await _origin.CommitAsync("main", Branch(feature, "b"), new Dictionary<string, string> { ["notes.txt"] = "by b\n" }, "B");

        await SendAsync(Features.Consolidate(feature, _origin.Path,
            [Features.Task("a", AgentRole.Coder, Branch(feature, "a"), a), Features.Task("b", AgentRole.Tester, Branch(feature, "b"), b)]));
        var conflicted = Assert.IsType<MergeConflicted>(await OutcomeAsync(feature));

        Assert.Equal(["notes.txt"], conflicted.ConflictingFiles);
        Assert.Equal("b", conflicted.TaskId);
        Assert.Contains("<<<<<<<", conflicted.Conflicts, StringComparison.Ordinal);
        Assert.Contains("by a", conflicted.Conflicts, StringComparison.Ordinal);
        Assert.Contains("by b", conflicted.Conflicts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_git_failure_becomes_ConsolidationFailed_rather_than_a_fault()
    {
        var feature = Guid.NewGuid();

        await SendAsync(Features.Consolidate(feature, _origin.Path, [Features.Task("gone", AgentRole.Coder, Branch(feature, "gone"), "0000000")]));
        var failed = Assert.IsType<ConsolidationFailed>(await OutcomeAsync(feature));

        Assert.StartsWith("git failed:", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(Branch(feature, "gone"), failed.Reason, StringComparison.Ordinal);
        Assert.Empty(failed.ConflictingFiles);
    }
}
