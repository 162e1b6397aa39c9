using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;

namespace Orchestrator.StateMachines;

/// <summary>
/// Follow-ups: a reviewer asks a completed feature for more (<see cref="RequestFollowUp"/>, from a <c>/orchestrator</c>
/// comment on its pull request). The feature prepares its work repository again with the pull request's branch in it,
/// runs one Coder task on that branch (FollowingUp → Executing), and consolidates onto the branch where it was pushed,
/// so the same pull request gains commits (Consolidating → Completed). Repairs, budgets and cancellation work as in the
/// first round; a follow-up that fails fails the feature with its reason, and the pull request stays as it was.
/// </summary>
public sealed partial class FeatureStateMachine
{
    private void DuringFollowUps()
    {
        During(Completed,
            When(FollowUpRequested, context => IsNewFollowUp(context.Saga, context.Message))
                .Then(context => AcceptFollowUp(context.Saga, context.Message))
                .TransitionTo(FollowingUp)
                .Send(Queues.Address(Queues.MergePrepare), context => new PrepareWorkRepository(
                    context.Saga.CorrelationId, context.Saga.Repository, context.Saga.BaseBranch) { SeedBranch = context.Saga.FeatureBranch }));

        During(FollowingUp,
            When(WorkRepositoryPrepared)
                .Then(context => UseWorkRepository(context.Saga, context.Message))
                .Then(context => context.Saga.StageDeadline = null)
                .TransitionTo(Executing)
                .ThenAsync(DispatchReadyTasks),
            When(WorkRepositoryFailed)
                .ThenAsync(context => Fail(context, $"The follow-up could not start: the work repository could not be prepared: {context.Message.Reason}")),
            When(PreparationFaulted)
                .ThenAsync(context => Fail(context, $"The follow-up could not start: the work repository could not be prepared: {FaultReason(context.Message)}")),
            When(StageTimedOut, context => context.Message.Stage == nameof(FollowingUp))
                .ThenAsync(context => Fail(context, $"The follow-up's work repository was not ready within {_options.PlanningTimeout}.")));
    }

    private bool IsNewFollowUp(FeatureState saga, RequestFollowUp request) =>
        !saga.FollowUps.Contains(request.RequestId) && saga.FollowUps.Count < _options.MaxFollowUps;

    private void AcceptFollowUp(FeatureState saga, RequestFollowUp request)
    {
        saga.FollowUps.Add(request.RequestId);
        var instructions = UntrustedText.StripHidden(request.Instructions);
        saga.Plan.AddRepairTask(RepairTask.FollowUp(saga.FollowUps.Count, instructions, request.RequestedBy));
        saga.TokenBudget += _options.FollowUpTokenBudget;
        // The first round's staging repository was deleted when the feature completed; a new one is prepared.
        saga.WorkRepository = null;
        saga.StagingKey = null;
        saga.UpdatedAt = _time.GetUtcNow();
        saga.StageDeadline = saga.UpdatedAt + _options.PlanningTimeout;
    }
}
