using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// A result the saga could not process (its <see cref="Fault{T}"/>, as MassTransit publishes it when the saga throws
/// after its retries) fails that feature at once with the reason; a finished feature stays as it ended.
/// </summary>
public sealed class FeaturePoisonSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);

    [Fact]
    public async Task A_task_result_the_saga_cannot_process_fails_the_feature_naming_the_message_and_the_error()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.DispatchedAsync("implement");

        await h.PublishSagaFaultAsync<TaskCompleted>(new FaultStub<TaskCompleted>(h.Completed("implement"), "the state could not be read"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("could not process TaskCompleted", h.Instance!.FailureReason);
        Assert.Contains("the state could not be read", h.Instance.FailureReason);
        Assert.Contains("feature-state_error", h.Instance.FailureReason);
    }

    [Fact]
    public async Task The_reason_names_the_sagas_own_error_not_the_wrapper_MassTransit_puts_around_it()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.DispatchedAsync("implement");

        await h.PublishSagaFaultAsync<TaskCompleted>(new FaultStub<TaskCompleted>(
            h.Completed("implement"), "Object reference not set to an instance of an object.", Wrapper: "The TaskCompleted<TaskCompleted> (Event) execution faulted"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("(NullReferenceException: Object reference not set to an instance of an object.)", h.Instance!.FailureReason);
        Assert.DoesNotContain("EventExecutionException", h.Instance.FailureReason);
    }

    [Fact]
    public async Task A_plan_the_saga_cannot_process_fails_the_feature_while_it_plans()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();

        var planned = new FeaturePlanned(h.FeatureId, "Add Power", "Adds Power.", "Power(x, n)", [Implement], TokenUsage.None);
        await h.PublishSagaFaultAsync<FeaturePlanned>(new FaultStub<FeaturePlanned>(planned, "plan too large for the store"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("could not process FeaturePlanned", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_task_result_that_another_subscriber_fails_on_leaves_the_feature_running()
    {
        await using var h = await StartAsync(addToBus: (_, bus) =>
            bus.AddConsumer<ThrowingTaskListener>().Endpoint(e => e.Name = "task-listener"));
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Planned("document", AgentRole.Docs));
        await h.DispatchedAsync(2);

        await h.PublishAsync(h.Completed("implement"));

        // The listener's fault is a Fault<TaskCompleted> like the saga's own, from another endpoint.
        await h.WaitForConsumedAsync<Fault<TaskCompleted>>();
        await h.WaitForConsumedAsync<TaskCompleted>();
        Assert.Equal(nameof(FeatureStateMachine.Executing), h.Instance!.CurrentState);
        Assert.Null(h.Instance.FailureReason);
    }

    /// <summary>Another system's consumer of the task results, with a bug.</summary>
    private sealed class ThrowingTaskListener : IConsumer<TaskCompleted>
    {
        public Task Consume(ConsumeContext<TaskCompleted> context) => throw new InvalidOperationException("the listener's own bug");
    }
}
