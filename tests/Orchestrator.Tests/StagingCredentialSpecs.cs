using Orchestrator.Contracts;
using Orchestrator.Messaging;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>The saga hands each task attempt its own staging credential, derived from the key the merge service made.</summary>
public sealed class StagingCredentialSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);

    [Fact]
    public async Task Each_dispatched_attempt_carries_a_credential_for_its_feature_task_and_attempt()
    {
        var key = StagingCredentials.NewKey();
        await using var h = await StartAsync(o => o.MaxTaskAttempts = 2);
        await h.SubmitAsync();
        await h.PlanAsync(key, Implement);

        var first = await h.DispatchedAsync("implement");
        await h.PublishAsync(new TaskFailed(h.FeatureId, "implement", 1, "build broke", TokenUsage.None));
        var second = await h.DispatchedAsync("implement", attempt: 2);

        Assert.Equal(new StagingGrant(h.FeatureId, "implement", 1), StagingCredentials.Verify(key, first.StagingCredential));
        Assert.Equal(new StagingGrant(h.FeatureId, "implement", 2), StagingCredentials.Verify(key, second.StagingCredential));
        Assert.Equal(first.Branch, StagingCredentials.Verify(key, first.StagingCredential)!.Branch);
        Assert.Null(StagingCredentials.Verify(StagingCredentials.NewKey(), first.StagingCredential));
    }

    [Fact]
    public async Task Without_a_staging_repository_no_credential_is_dispatched()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        var dispatched = await h.DispatchedAsync("implement");

        Assert.Null(dispatched.StagingCredential);
    }

    [Fact]
    public void Printing_an_assignment_or_a_prepared_repository_never_prints_the_secret()
    {
        var assignment = new TaskAssignment(Guid.NewGuid(), "implement", 1, AgentRole.Coder, "http://merge/git/f.git", "main",
            "orchestrator/tasks/f/implement", "Add Power", "Implement", "Do it", null, [], new ModelSelection("demo", "scripted:demo"),
            DateTimeOffset.UnixEpoch) { StagingCredential = "credential-value-123" };
        var prepared = new WorkRepositoryPrepared(Guid.NewGuid(), "http://merge/git/f.git") { StagingKey = "key-value-456" };

        Assert.DoesNotContain("credential-value-123", assignment.ToString(), StringComparison.Ordinal);
        Assert.Contains("StagingCredential = (set)", assignment.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("key-value-456", prepared.ToString(), StringComparison.Ordinal);
    }
}
