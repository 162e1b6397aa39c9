using k8s.Models;

namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// How a run's pod ended, read from its containers' terminated states: the command's exit code, a failed restore
/// step, or no exit code at all (evicted, the clone failed, the deadline passed) with the reason Kubernetes gave.
/// </summary>
internal sealed record JobOutcome(int ExitCode, bool Killed, bool TimedOut, string? Note)
{
    /// <summary>The restore step ran before the command and failed: the command never ran.</summary>
    public bool RestoreFailed { get; init; }

    // What a process killed by SIGKILL reports; an evicted or deadline-killed pod has no exit code of its own.
    private const int KilledExitCode = 137;
    private const int NoExitCode = -1;

    /// <summary>True when the Job has finished (its Complete or Failed condition is True).</summary>
    public static bool IsFinished(V1Job job) => FinishedCondition(job) is not null;

    /// <summary>The outcome of a finished Job, from its pod when there is one, else from the Job's own condition.</summary>
    public static JobOutcome Read(V1Job job, V1Pod? pod, JobManifest manifest)
    {
        if (pod?.Status?.Reason == "Evicted")
        {
            // Whatever exit code the kill left behind, the reason is the node's, not the command's.
            return new JobOutcome(NoExitCode, Killed: true, TimedOut: false,
                $"[the runner pod was evicted before the command finished: {Describe(pod.Status.Reason, pod.Status.Message)}; run it again]");
        }

        // The kill that ends the deadline leaves an exit code (137) that says less than the deadline itself.
        var condition = FinishedCondition(job);
        if (condition?.Reason == "DeadlineExceeded")
        {
            var deadline = $"[the Job reached its deadline of {manifest.ActiveDeadlineSeconds} s; Kubernetes stopped the pod]";
            return new JobOutcome(KilledExitCode, Killed: true, TimedOut: true,
                pod is not null && NotStarted(pod) is { } notStarted ? $"{deadline}\n{notStarted}" : deadline);
        }

        if (pod is not null && FromContainers(pod, manifest) is { } fromContainers)
        {
            return fromContainers;
        }

        var podReason = pod?.Status is { } status ? Describe(status.Reason, status.Message) : null;
        var jobReason = condition is null ? null : Describe(condition.Reason, condition.Message);
        var why = podReason ?? jobReason ?? "Kubernetes gave no reason";
        return new JobOutcome(NoExitCode, Killed: false, TimedOut: false, $"[the runner Job failed before the command finished: {why}]");
    }

    /// <summary>
    /// Why the pod's containers have not run, when one is still waiting for a reason other than its turn (an image
    /// that cannot be pulled, a Secret that is missing): what an operator needs when a run times out doing nothing.
    /// </summary>
    public static string? NotStarted(V1Pod pod)
    {
        var stuck = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? [])
            .Where(s => s.State?.Waiting is { Reason: { Length: > 0 } reason } && reason != "PodInitializing")
            .Select(s => $"{s.Name}: {Describe(s.State.Waiting.Reason, s.State.Waiting.Message)}")
            .ToList();
        return stuck.Count == 0 ? null : $"[the runner pod never got going: {string.Join("; ", stuck)}]";
    }

    private static JobOutcome? FromContainers(V1Pod pod, JobManifest manifest)
    {
        if (Terminated(pod.Status?.InitContainerStatuses, JobManifest.WorkspaceContainer) is { ExitCode: not 0 } clone)
        {
            return new JobOutcome(NoExitCode, Killed: false, TimedOut: false,
                $"[the runner could not fetch the workspace (exit code {clone.ExitCode}{ReasonSuffix(clone)}); the command did not run]");
        }

        if (manifest.HasRestore && Terminated(pod.Status?.InitContainerStatuses, JobManifest.RestoreContainer) is { ExitCode: not 0 } restore)
        {
            return new JobOutcome(restore.ExitCode, Killed: IsKill(restore), TimedOut: false, Note: null) { RestoreFailed = true };
        }

        if (Terminated(pod.Status?.ContainerStatuses, JobManifest.CommandContainer) is not { } command)
        {
            return null;
        }

        var note = command.Reason == "OOMKilled" ? "[the command was killed: it used more memory than the runner's limit]" : null;
        return new JobOutcome(command.ExitCode, IsKill(command), TimedOut: false, note);
    }

    private static V1ContainerStateTerminated? Terminated(IList<V1ContainerStatus>? statuses, string container) =>
        statuses?.FirstOrDefault(s => s.Name == container)?.State?.Terminated;

    private static bool IsKill(V1ContainerStateTerminated state) => state.Reason == "OOMKilled" || state.ExitCode is > 128 and <= 128 + 64;

    private static string ReasonSuffix(V1ContainerStateTerminated state) => state.Reason is { Length: > 0 } reason ? $", {reason}" : string.Empty;

    private static string? Describe(string? reason, string? message) => (reason, message) switch
    {
        ({ Length: > 0 }, { Length: > 0 }) => $"{reason}: {message}",
        ({ Length: > 0 }, _) => reason,
        (_, { Length: > 0 }) => message,
        _ => null,
    };

    private static V1JobCondition? FinishedCondition(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");
}
