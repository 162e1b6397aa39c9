using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Messaging.Roles;

namespace Orchestrator.Tests.Roles;

/// <summary>The saga sends a configured role's task as <see cref="RunAgentTask"/> on the role's queue, and fails on its fault.</summary>
public sealed class ConfiguredRoleSpecs
{
    private static readonly AgentRole Ops = new("ops");

    private static Task<FeatureSagaHarness> StartAsync() => FeatureSagaHarness.StartAsync(addToBus: (services, _) =>
        services.Configure<AgentRolesOptions>(options =>
            options.Roles["ops"] = new AgentRoleSettings { Description = "CI files", SystemPrompt = "You are ops.", Queue = "ops-queue" }));

    // What was sent so far, with its address, without the harness's inactivity wait (tests/README.md).
    private static Task<ISentMessage<RunAgentTask>> SentRunAgentTaskAsync(FeatureSagaHarness h) =>
        Eventually.ValueAsync(() => h.Harness.Sent.Select<RunAgentTask>(new CancellationToken(canceled: true)).FirstOrDefault(), "a RunAgentTask to be sent");

    [Fact]
    public async Task A_configured_roles_task_goes_to_its_queue_as_RunAgentTask_beside_the_coders_ImplementTask()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(FeatureSagaHarness.Planned("implement", AgentRole.Coder), FeatureSagaHarness.Planned("ci", Ops));

        var sent = await SentRunAgentTaskAsync(h);
        await h.DispatchedAsync("implement");

        Assert.Equal("ci", sent.Context.Message.Task.TaskId);
        Assert.Equal(Ops, sent.Context.Message.Task.Role);
        Assert.EndsWith("/ops-queue", sent.Context.DestinationAddress!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_faulted_configured_role_agent_fails_the_feature_with_the_exception()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(FeatureSagaHarness.Planned("implement", AgentRole.Coder), FeatureSagaHarness.Planned("ci", Ops));
        var sent = await SentRunAgentTaskAsync(h);

        await h.PublishAsync<Fault<RunAgentTask>>(new FaultStub<RunAgentTask>(sent.Context.Message, "sandbox gone"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("Task 'ci' (Ops) crashed", h.Instance!.FailureReason, StringComparison.Ordinal);
        Assert.Contains("sandbox gone", h.Instance.FailureReason, StringComparison.Ordinal);
    }
}
