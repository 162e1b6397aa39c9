using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// Runs each repository command as a Kubernetes Job (docs/decisions/0012-kubernetes-job-runner.md): the workspace's
/// working tree goes as a commit on a private ref of its staging repository, the Job's init container clones that ref
/// with a credential from a per-Job Secret, the command runs in a fresh pod with no credential and no API token, its
/// log streams back, and its exit code is read from the container's terminated state. The Job, its Secret and the
/// ref are deleted whatever happens; the Job's <c>ttlSecondsAfterFinished</c> is the backstop.
/// </summary>
public sealed partial class KubernetesJobCommandRunner(
    KubernetesApi kubernetes,
    ProcessRunner processes,
    IOptions<KubernetesJobRunnerOptions> options,
    TimeProvider time,
    ILogger<KubernetesJobCommandRunner> logger) : IRepositoryCommandRunner
{
    private const int TimedOutExitCode = 137;

    // After the Job has finished its log stream ends by itself; this bounds a stream the API keeps open anyway.
    private static readonly TimeSpan LogDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Each Job starts from an empty pod: the restore step runs in the same pod, before the command.</summary>
    public bool RestoresInTheSameRun => true;

    public async Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var remote = request.Remote ?? throw new SandboxUnavailableException(
            "Repository commands are refused: the Kubernetes Job runner needs the workspace's staging repository, and this " +
            "workspace has none (the feature's repository is not served through the merge service's staging server).");
        var jobNamespace = settings.ResolveNamespace() ?? throw new SandboxUnavailableException(
            $"Repository commands are refused: {KubernetesJobRunnerOptions.Section}:{nameof(KubernetesJobRunnerOptions.Namespace)} is not set.");
        var api = kubernetes.Client;

        var started = time.GetTimestamp();
        var timeout = JobManifest.RunTimeoutOf(request);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(timeout);
        var reference = $"{remote.RunRefPrefix}{Guid.NewGuid():N}";
        var snapshot = new WorkspaceSnapshot(processes, request.WorkspaceDirectory, remote, reference);
        try
        {
            var commit = await snapshot.PushAsync(run.Token);
            var manifest = new JobManifest(Guid.NewGuid().ToString("N"), settings.Role ?? "runner", reference, commit, request, settings);
            LogStarting(logger, manifest.JobName, request.Command.ToString(), jobNamespace, reference);
            var result = await RunJobAsync(api, jobNamespace, manifest, request, run, cancellationToken);
            return result with { Duration = time.GetElapsedTime(started) };
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The timeout passed before the Job could even be created (the push took it all).
            return TimedOut(request, $"[timed out after {timeout} before the runner Job started]", time.GetElapsedTime(started));
        }
        finally
        {
            if (await snapshot.DeleteAsync() is { } failure)
            {
                LogRefNotDeleted(logger, reference, failure);
            }
        }
    }

    private async Task<RepositoryCommandResult> RunJobAsync(
        IKubernetes api, string jobNamespace, JobManifest manifest, RepositoryCommandRequest request, CancellationTokenSource run,
        CancellationToken cancellationToken)
    {
        var created = await CallAsync(ct => api.BatchV1.CreateNamespacedJobAsync(manifest.Job(), jobNamespace, cancellationToken: ct), run.Token);
        try
        {
            await CallAsync(ct => api.CoreV1.CreateNamespacedSecretAsync(manifest.Secret(created), jobNamespace, cancellationToken: ct), run.Token);
            return await SuperviseAsync(new JobWatch(api, jobNamespace, manifest), manifest, request, run, cancellationToken);
        }
        finally
        {
            await DeleteAsync(api, jobNamespace, manifest);
        }
    }

    private async Task<RepositoryCommandResult> SuperviseAsync(
        JobWatch watch, JobManifest manifest, RepositoryCommandRequest request, CancellationTokenSource run, CancellationToken cancellationToken)
    {
        var restoreOutput = new OutputBuffer(request.Limits.MaxOutputChars);
        var commandOutput = new OutputBuffer(request.Limits.MaxOutputChars);
        using var logsStop = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var logs = FollowLogsAsync(watch, restoreOutput, commandOutput, logsStop.Token);
        try
        {
            var finished = await Translated(() => watch.WaitUntilFinishedAsync(run.Token));
            var pod = await Translated(() => watch.FindPodAsync(run.Token));
            await DrainAsync(logs, logsStop);
            var outcome = JobOutcome.Read(finished, pod, manifest);
            LogFinished(logger, manifest.JobName, outcome.ExitCode, outcome.Note ?? "");
            return Result(outcome, request, restoreOutput, commandOutput);
        }
        catch (Exception ex) when (run.IsCancellationRequested && ex is OperationCanceledException or SandboxUnavailableException)
        {
            // A stream torn down by the cancellation may surface as a broken connection: the token says what happened.
            cancellationToken.ThrowIfCancellationRequested();
            await DrainAsync(logs, logsStop, stopNow: true);
            commandOutput.AppendLine($"[timed out after {manifest.RunTimeout}; the runner Job was deleted]");
            if (await LookOnceAsync(watch) is { } pod && JobOutcome.NotStarted(pod) is { } notStarted)
            {
                commandOutput.AppendLine(notStarted);
            }

            return TimedOut(request, commandOutput.ToString(), TimeSpan.Zero);
        }
        catch (JobVanishedException ex)
        {
            await DrainAsync(logs, logsStop, stopNow: true);
            commandOutput.AppendLine($"[{ex.Message}]");
            return new RepositoryCommandResult(-1, commandOutput.ToString(), TimedOut: false, TimeSpan.Zero) { Killed = true, Sandboxed = true };
        }
        finally
        {
            await DrainAsync(logs, logsStop, stopNow: true);
        }
    }

    // Why a run that timed out never got going (an image that cannot be pulled, a Secret that never came): one bounded
    // look, since the run's own token is spent.
    private async Task<V1Pod?> LookOnceAsync(JobWatch watch)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.ApiCallTimeoutSeconds));
        try
        {
            return await watch.FindPodAsync(bounded.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || KubernetesApi.Describe(ex) is not null)
        {
            return null;
        }
    }

    private static RepositoryCommandResult Result(
        JobOutcome outcome, RepositoryCommandRequest request, OutputBuffer restoreOutput, OutputBuffer commandOutput)
    {
        string output;
        if (outcome.RestoreFailed && request.RestoreFirst is { } restore)
        {
            // As RepositoryCommandSteps says it for a local runner: the restore's own log is what tells why.
            output = $"[the restore step `{restore}` failed with exit code {outcome.ExitCode}; `{request.Command}` did not run]\n{restoreOutput}";
        }
        else
        {
            if (outcome.Note is { } note)
            {
                commandOutput.AppendLine(note);
            }

            output = commandOutput.ToString();
        }

        return new RepositoryCommandResult(outcome.ExitCode, output, outcome.TimedOut, TimeSpan.Zero) { Killed = outcome.Killed, Sandboxed = true };
    }

    private static RepositoryCommandResult TimedOut(RepositoryCommandRequest request, string output, TimeSpan duration) =>
        new(TimedOutExitCode, output, TimedOut: true, duration) { Killed = true, Sandboxed = true };

    // A log that cannot be read does not fail the run: the exit code is what counts, and the output says what is missing.
    private async Task FollowLogsAsync(JobWatch watch, OutputBuffer restoreOutput, OutputBuffer commandOutput, CancellationToken cancellationToken)
    {
        try
        {
            await watch.FollowLogsAsync(restoreOutput, commandOutput, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (KubernetesApi.Describe(ex) is { } reason)
        {
            commandOutput.AppendLine($"[the runner's log could not be read further: {reason}]");
        }
    }

    private async Task DrainAsync(Task logs, CancellationTokenSource logsStop, bool stopNow = false)
    {
        if (stopNow)
        {
            await logsStop.CancelAsync();
        }

        try
        {
            await logs.WaitAsync(LogDrainTimeout, time);
        }
        catch (TimeoutException)
        {
            await logsStop.CancelAsync();
            await logs;
        }
    }

    private async Task DeleteAsync(IKubernetes api, string jobNamespace, JobManifest manifest)
    {
        // Not the run's token: a cancelled or timed-out run must still take its Job and Secret away.
        var background = new V1DeleteOptions { PropagationPolicy = "Background" };
        await TryDeleteAsync("Job", manifest, ct => api.BatchV1.DeleteNamespacedJobAsync(manifest.JobName, jobNamespace, background, cancellationToken: ct));
        await TryDeleteAsync("Secret", manifest, ct => api.CoreV1.DeleteNamespacedSecretAsync(manifest.SecretName, jobNamespace, cancellationToken: ct));
    }

    private async Task TryDeleteAsync<T>(string kind, JobManifest manifest, Func<CancellationToken, Task<T>> delete)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.ApiCallTimeoutSeconds));
        try
        {
            await delete(bounded.Token);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone (the Secret goes with its Job when the garbage collector is quicker).
        }
        catch (Exception ex) when (KubernetesApi.Describe(ex) is { } reason)
        {
            LogNotDeleted(logger, kind, manifest.JobName, reason);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            LogNotDeleted(logger, kind, manifest.JobName, $"no answer within {options.Value.ApiCallTimeoutSeconds} s");
        }
    }

    // One create or delete: bounded by its own timeout too, so an API that accepts connections and never answers
    // reads as unavailable rather than using up the whole run.
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = TimeSpan.FromSeconds(options.Value.ApiCallTimeoutSeconds);
        bounded.CancelAfter(limit);
        try
        {
            return await Translated(() => call(bounded.Token));
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable($"the Kubernetes API did not answer within {limit.TotalSeconds:0} s");
        }
    }

    private static async Task<T> Translated<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (KubernetesApi.Describe(ex) is { } reason)
        {
            throw Unavailable(reason);
        }
    }

    private static SandboxUnavailableException Unavailable(string reason) =>
        new($"Repository commands could not run as Kubernetes Jobs: {reason}. Nothing was run; try again when the cluster answers.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting runner Job {Job} for {Command} in namespace {Namespace} from {Ref}")]
    private static partial void LogStarting(ILogger logger, string job, string command, string @namespace, string @ref);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner Job {Job} finished: exit code {ExitCode} {Note}")]
    private static partial void LogFinished(ILogger logger, string job, int exitCode, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the {Kind} of runner Job {Job} (its TTL will): {Reason}")]
    private static partial void LogNotDeleted(ILogger logger, string kind, string job, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the snapshot ref {Ref} from the staging repository: {Reason}")]
    private static partial void LogRefNotDeleted(ILogger logger, string @ref, string reason);
}
