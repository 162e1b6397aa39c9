using System.Text;
using k8s;
using k8s.Models;

namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// Follows one run's Job: waits for it to finish through the API's watch stream, and copies its containers' logs as
/// they are written. Every wait ends with the caller's token (the run's timeout and cancellation): nothing here waits
/// on its own.
/// </summary>
internal sealed class JobWatch(IKubernetes api, string jobNamespace, JobManifest manifest)
{
    // Between two looks at a pod that has not started its container yet, and after a watch that ended before the Job
    // did (an API server closes watches now and then): a pause, so a quiet cluster is not asked in a tight loop.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The Job once its Complete or Failed condition is True.</summary>
    /// <exception cref="JobVanishedException">Someone else deleted the Job.</exception>
    public async Task<V1Job> WaitUntilFinishedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await api.BatchV1.ReadNamespacedJobAsync(manifest.JobName, jobNamespace, cancellationToken: cancellationToken);
            if (JobOutcome.IsFinished(job))
            {
                return job;
            }

            if (await WatchAsync(job.Metadata.ResourceVersion, cancellationToken) is { } finished)
            {
                return finished;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    // One watch from the version just read, until the Job finishes (returned), the stream ends, or the server reports
    // an error on it (null either way). The client hands a Status event (410 Gone: the version expired) to onError
    // rather than to the loop, so that callback ends this watch instead of waiting for the server to close it.
    private async Task<V1Job?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = api.BatchV1.WatchListNamespacedJobAsync(
            jobNamespace,
            fieldSelector: $"metadata.name={manifest.JobName}",
            resourceVersion: resourceVersion,
            onError: _ => watch.Cancel(),
            cancellationToken: watch.Token);
        try
        {
            await foreach (var (type, watched) in events.WithCancellation(watch.Token))
            {
                if (type == WatchEventType.Deleted)
                {
                    throw new JobVanishedException($"the runner Job {manifest.JobName} was deleted by someone else before it finished");
                }

                if (JobOutcome.IsFinished(watched))
                {
                    return watched;
                }
            }
        }
        catch (OperationCanceledException) when (watch.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }

        return null;
    }

    /// <summary>The run's pod (one: the Job never retries), or null when there is none (yet, or any more).</summary>
    public async Task<V1Pod?> FindPodAsync(CancellationToken cancellationToken)
    {
        var pods = await api.CoreV1.ListNamespacedPodAsync(jobNamespace, labelSelector: manifest.PodSelector, cancellationToken: cancellationToken);
        return pods.Items.OrderBy(p => p.Metadata.CreationTimestamp).FirstOrDefault();
    }

    /// <summary>
    /// Copies the restore step's log (when the run has one) and then the command's into the buffers, following each
    /// from the moment its container starts until it ends. Returns early when the pod ends before a container starts.
    /// </summary>
    public async Task FollowLogsAsync(OutputBuffer restoreOutput, OutputBuffer commandOutput, CancellationToken cancellationToken)
    {
        List<(string Container, OutputBuffer Output)> containers = [];
        if (manifest.HasRestore)
        {
            containers.Add((JobManifest.RestoreContainer, restoreOutput));
        }

        containers.Add((JobManifest.CommandContainer, commandOutput));
        foreach (var (container, output) in containers)
        {
            if (await WaitForContainerAsync(container, cancellationToken) is not { } pod)
            {
                return;
            }

            await using var log = await api.CoreV1.ReadNamespacedPodLogAsync(
                pod.Metadata.Name, jobNamespace, container: container, follow: true, cancellationToken: cancellationToken);
            await CopyAsync(log, output, cancellationToken);
        }
    }

    // A container's log can be read once it runs (or has run); before that the API refuses the request.
    private async Task<V1Pod?> WaitForContainerAsync(string container, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await FindPodAsync(cancellationToken) is { } pod)
            {
                var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
                var state = statuses.FirstOrDefault(s => s.Name == container)?.State;
                if (state?.Running is not null || state?.Terminated is not null)
                {
                    return pod;
                }

                if (pod.Status?.Phase is "Failed" or "Succeeded")
                {
                    return null;
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task CopyAsync(Stream log, OutputBuffer output, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(log, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            output.Append(buffer.AsSpan(0, read));
        }
    }
}

/// <summary>The run's Job disappeared before it finished (deleted by hand, or by a namespace clean-up).</summary>
internal sealed class JobVanishedException(string message) : Exception(message);
