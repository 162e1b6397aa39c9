using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// What the saga does with a <see cref="SubmitFeature"/> another system sends on the bus, past the HTTP API and its
/// checks (docs/integration.md, "Submitting on the bus"). These pin what the document says; closing a gap it lists
/// changes one of them.
/// </summary>
public sealed class BusSubmissionSpecs
{
    private static readonly ModelSelection Script = new("demo-power", "scripted:demo-power");

    [Fact]
    public async Task A_submission_sent_again_with_the_same_id_is_answered_with_the_current_state_and_planned_once()
    {
        await using var h = await StartAsync();
        var client = h.Harness.GetRequestClient<SubmitFeature>();
        var submit = Submission(h, "/repos/calculator.git");

        await client.GetResponse<FeatureAccepted>(submit, TestContext.Current.CancellationToken);
        await h.PlanAsync(Planned("implement", AgentRole.Coder));
        var again = await client.GetResponse<FeatureAccepted>(submit, TestContext.Current.CancellationToken);

        Assert.Equal(new FeatureAccepted(h.FeatureId, nameof(FeatureStateMachine.Executing)), again.Message);
        await h.WaitForConsumedAsync<SubmitFeature>(2);
        Assert.Single(h.Harness.SentSoFar<PlanFeature>());
    }

    [Fact]
    public async Task A_submission_published_without_a_reply_address_publishes_its_acceptance()
    {
        await using var h = await StartAsync();

        await h.PublishAsync(Submission(h, "/repos/calculator.git"));

        var accepted = await h.PublishedAsync<FeatureAccepted>(m => m.FeatureId == h.FeatureId);
        Assert.Equal(nameof(FeatureStateMachine.Planning), accepted.State);
    }

    [Fact]
    public async Task A_submission_without_request_text_is_answered_with_a_fault_and_stores_nothing()
    {
        // The orchestrator's own store: MassTransit's in-memory repository would keep the half-made instance.
        using var folder = new TempDirectory();
        await using var h = await StartAsync(repository: saga => saga.DocumentRepository($"Data Source={folder.Combine("state.db")}", sagaTypeName: "feature"));
        var client = h.Harness.GetRequestClient<SubmitFeature>();

        var refused = await Assert.ThrowsAsync<RequestFaultException>(() =>
            client.GetResponse<FeatureAccepted>(Submission(h, "/repos/calculator.git") with { Request = null! }, TestContext.Current.CancellationToken));

        // The state machine wraps what the step threw.
        Assert.Equal(typeof(ArgumentNullException).FullName, refused.Fault!.Exceptions.Single().InnerException?.ExceptionType);
        var store = h.Services.GetRequiredService<ILoadSagaRepository<FeatureState>>();
        Assert.Null(await store.Load(h.FeatureId));
        // Control: a submission with its text is stored.
        var control = Submission(h, "/repos/calculator.git") with { FeatureId = NewId.NextGuid() };
        await client.GetResponse<FeatureAccepted>(control, TestContext.Current.CancellationToken);
        Assert.NotNull(await store.Load(control.FeatureId));
        Assert.DoesNotContain(h.Harness.SentSoFar<PlanFeature>(), m => m.FeatureId == h.FeatureId);
    }

    [Fact]
    public async Task A_submission_is_taken_as_it_comes_without_the_APIs_allow_list_or_repository_check()
    {
        await using var h = await StartAsync();
        var client = h.Harness.GetRequestClient<SubmitFeature>();

        // The API refuses all three: a local path (Repositories:AllowLocal is off by default), a budget over
        // Features:MaxTokenBudget, and an issue number that is not positive.
        await client.GetResponse<FeatureAccepted>(
            Submission(h, "/home/someone-else/private.git") with { TokenBudget = long.MaxValue, Issue = -1 }, TestContext.Current.CancellationToken);

        var prepare = await h.Harness.SentAsync<PrepareWorkRepository>(m => m.FeatureId == h.FeatureId);
        Assert.Equal("/home/someone-else/private.git", prepare.Repository);
        Assert.Equal(long.MaxValue, h.Instance!.TokenBudget);
    }

    private static SubmitFeature Submission(FeatureSagaHarness h, string repository) =>
        new(h.FeatureId, repository, "main", "Add Power", Script, h.Time.GetUtcNow());
}
