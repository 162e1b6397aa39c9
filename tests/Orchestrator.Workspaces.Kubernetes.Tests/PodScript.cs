using k8s.Models;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>
/// How the stand-in's "kubelet" plays a run's pod once its Secret exists: what the containers log, how they end, and
/// what Kubernetes says about the pod. <see cref="CommandExitCode"/> null: the command container never terminated.
/// </summary>
internal sealed record PodScript
{
    public string CommandLog { get; init; } = string.Empty;

    public int? CommandExitCode { get; init; } = 0;

    public string? CommandTerminationReason { get; init; }

    /// <summary>The command container waits for this reason (ImagePullBackOff, say) and never runs.</summary>
    public string? CommandWaitingReason { get; init; }

    public string RestoreLog { get; init; } = string.Empty;

    /// <summary>Set by the stand-in when the init container's clone script failed: nothing after it runs.</summary>
    public int CloneExitCode { get; init; }

    public int RestoreExitCode { get; init; }

    /// <summary>The pod's own status reason and message (e.g. Evicted), which make its phase Failed.</summary>
    public string? PodReason { get; init; }

    public string? PodMessage { get; init; }

    /// <summary>The Job never reaches Complete or Failed; watches and followed logs stay open until the client leaves.</summary>
    public bool NeverFinishes { get; init; }

    public static PodScript Succeeds(string log) => new() { CommandLog = log };

    internal V1Pod Pod(string name, IDictionary<string, string> labels, bool hasRestore)
    {
        var restoreFailed = CloneExitCode != 0 || (hasRestore && RestoreExitCode != 0);
        var command = restoreFailed || CommandWaitingReason is not null
            ? new V1ContainerState
            {
                Waiting = new V1ContainerStateWaiting { Reason = CommandWaitingReason ?? "PodInitializing", Message = CommandWaitingReason is null ? null : "Back-off pulling image" },
            }
            : CommandExitCode is { } exit
                ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exit, Reason = CommandTerminationReason } }
                : new V1ContainerState { Running = new V1ContainerStateRunning() };
        List<V1ContainerStatus> init = [Status(JobManifest.WorkspaceContainer, Terminated(CloneExitCode))];
        if (hasRestore)
        {
            init.Add(Status(JobManifest.RestoreContainer, CloneExitCode == 0
                ? Terminated(RestoreExitCode)
                : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "PodInitializing" } }));
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels, CreationTimestamp = DateTime.UtcNow },
            Status = new V1PodStatus
            {
                Phase = Phase(restoreFailed),
                Reason = PodReason,
                Message = PodMessage,
                InitContainerStatuses = init,
                ContainerStatuses = [Status(JobManifest.CommandContainer, command)],
            },
        };
    }

    internal V1JobCondition? FinishedCondition(bool hasRestore)
    {
        if (NeverFinishes)
        {
            return null;
        }

        var failed = PodReason is not null || CloneExitCode != 0 || (hasRestore && RestoreExitCode != 0) || CommandExitCode is not 0;
        return failed
            ? new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" }
            : new V1JobCondition { Type = "Complete", Status = "True" };
    }

    private string Phase(bool restoreFailed) => PodReason is not null || restoreFailed || CommandExitCode is > 0
        ? "Failed"
        : CommandWaitingReason is not null ? "Pending" : CommandExitCode is 0 ? "Succeeded" : "Running";

    private static V1ContainerState Terminated(int exitCode) =>
        new() { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error" } };

    private static V1ContainerStatus Status(string name, V1ContainerState state) =>
        new() { Name = name, State = state, Image = "runner", ImageID = "runner", Ready = false, RestartCount = 0 };
}
