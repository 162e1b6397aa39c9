using System.Collections.Concurrent;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestrator.Workspaces;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>
/// An HTTP server that speaks the part of the Kubernetes API the runner uses, answering at once: Jobs (create, get,
/// the <c>?watch=true</c> stream, delete), Secrets (create, delete), pods by label, a pod's log (follow). When a run's
/// Secret arrives, its "kubelet" does what the init container would: clones the snapshot ref with the Secret's
/// variables into a folder of its own (<see cref="Workspaces"/>), then plays the test's <see cref="PodScript"/>.
/// </summary>
internal sealed class KubernetesStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _temp = new();
    private readonly ConcurrentDictionary<string, V1Job> _jobs = new();
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new();
    private readonly ConcurrentDictionary<string, V1Job> _finished = new();
    private int _watches;

    private KubernetesStandIn(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    /// <summary>Plays each run's pod; the argument is the workspace the init container cloned.</summary>
    public Func<string, PodScript> Script { get; set; } = _ => PodScript.Succeeds(string.Empty);

    /// <summary>Runs before the "kubelet" clones a run's snapshot: the repository and the ref the Job names.</summary>
    public Func<string, string, Task>? BeforeClone { get; set; }

    /// <summary>
    /// The first watch answers 410 Gone as an ERROR event, as an API server does for an expired version, and then
    /// keeps the stream open.
    /// </summary>
    public bool ExpireFirstWatch { get; set; }

    /// <summary>How many watches of a Job the runner opened.</summary>
    public int Watches => _watches;

    /// <summary>When set, every request gets this status code (an API server that is down behind its load balancer).</summary>
    public int? FailEverythingWith { get; set; }

    /// <summary>When set, the API goes down (this status code for everything) right after the run's Secret is created.</summary>
    public int? FailAfterSecretWith { get; set; }

    /// <summary>The Jobs as the runner sent them, as JSON: what a cluster would store.</summary>
    public ConcurrentQueue<string> CreatedJobsJson { get; } = new();

    public ConcurrentQueue<V1Secret> CreatedSecrets { get; } = new();

    /// <summary>Deleted Jobs with the propagation policy the runner asked for.</summary>
    public ConcurrentQueue<(string Name, string? Propagation)> DeletedJobs { get; } = new();

    public ConcurrentQueue<string> DeletedSecrets { get; } = new();

    /// <summary>Where the "kubelet" cloned each run's snapshot ref, by Job name.</summary>
    public ConcurrentDictionary<string, string> Workspaces { get; } = new();

    /// <summary>Completes when the runner first watches a Job.</summary>
    public TaskCompletionSource Watching { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<KubernetesStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new KubernetesStandIn(app);
        standIn.Map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _temp.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (FailEverythingWith is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }

            await next(context);
        });
        const string Jobs = "/apis/batch/v1/namespaces/{ns}/jobs";
        const string Core = "/api/v1/namespaces/{ns}";
        app.MapPost(Jobs, CreateJobAsync);
        app.MapGet(Jobs + "/{name}", (string name) => Json(_jobs.TryGetValue(name, out var job) ? job : null));
        app.MapGet(Jobs, WatchJobAsync);
        app.MapDelete(Jobs + "/{name}", DeleteJobAsync);
        app.MapPost(Core + "/secrets", CreateSecretAsync);
        app.MapDelete(Core + "/secrets/{name}", (string name) =>
        {
            DeletedSecrets.Enqueue(name);
            return Json(new V1Status { Kind = "Status", ApiVersion = "v1", Status = "Success" });
        });
        app.MapGet(Core + "/pods", (string labelSelector) => Json(new V1PodList
        {
            ApiVersion = "v1", Kind = "PodList", Items = [.. _pods.Values.Where(p => Selects(labelSelector, p.Metadata.Labels))],
        }));
        app.MapGet(Core + "/pods/{name}/log", FollowLogAsync);
    }

    private async Task<IResult> CreateJobAsync(HttpRequest request)
    {
        var json = await new StreamReader(request.Body).ReadToEndAsync();
        CreatedJobsJson.Enqueue(json);
        var job = KubernetesJson.Deserialize<V1Job>(json);
        job.Metadata.Uid = Guid.NewGuid().ToString();
        job.Metadata.ResourceVersion = "1";
        job.Status = new V1JobStatus { Active = 1 };
        _jobs[job.Metadata.Name] = job;
        return Json(job, StatusCodes.Status201Created);
    }

    private async Task<IResult> CreateSecretAsync(HttpRequest request)
    {
        var secret = KubernetesJson.Deserialize<V1Secret>(await new StreamReader(request.Body).ReadToEndAsync());
        CreatedSecrets.Enqueue(secret);
        var owner = secret.Metadata.OwnerReferences.Single();
        var job = _jobs.Values.Single(j => j.Metadata.Uid == owner.Uid);
        await StartPodAsync(job, secret);
        FailEverythingWith ??= FailAfterSecretWith;
        return Json(secret, StatusCodes.Status201Created);
    }

    // The kubelet's part: the init container's clone (with the Secret's variables, as envFrom gives them), then the script.
    private async Task StartPodAsync(V1Job job, V1Secret secret)
    {
        var spec = job.Spec.Template.Spec;
        var workspace = _temp.Combine(job.Metadata.Name);
        var init = spec.InitContainers.Single(c => c.Name == JobManifest.WorkspaceContainer);
        if (BeforeClone is { } beforeClone)
        {
            await beforeClone(init.Command[4], init.Command[5]);
        }

        var clone = await CloneAsync(init, secret, workspace);
        Workspaces[job.Metadata.Name] = workspace;
        var script = clone.Succeeded
            ? Script(workspace)
            : new PodScript { CloneExitCode = clone.ExitCode, CommandExitCode = null, CommandLog = string.Empty };
        var hasRestore = spec.InitContainers.Any(c => c.Name == JobManifest.RestoreContainer);
        var pod = script.Pod($"{job.Metadata.Name}-pod", job.Spec.Template.Metadata.Labels, hasRestore);
        pod.Metadata.Annotations = new Dictionary<string, string> { ["command-log"] = script.CommandLog, ["restore-log"] = script.RestoreLog };
        _pods[pod.Metadata.Name] = pod;
        if (script.FinishedCondition(hasRestore) is { } condition)
        {
            // The watch, not the first read, brings the news: the runner has to follow the stream.
            _finished[job.Metadata.Name] = new V1Job
            {
                ApiVersion = job.ApiVersion, Kind = job.Kind, Metadata = job.Metadata, Spec = job.Spec,
                Status = new V1JobStatus { Conditions = [condition] },
            };
        }
    }

    // The init container's own command, run here with its emptyDir at a folder of this test and the Secret's variables
    // as envFrom would set them.
    private static async Task<ProcessResult> CloneAsync(V1Container init, V1Secret secret, string workspace)
    {
        var mount = init.VolumeMounts.Single(m => m.Name == "workspace").MountPath;
        string[] command = [.. init.Command.Select(part => part.Replace(mount, workspace, StringComparison.Ordinal))];
        var environment = new Dictionary<string, string>(secret.StringData) { ["HOME"] = Path.GetTempPath() };
        return await Runners.Create().RunAsync(
            new ProcessSpec(command[0], command[1..], Path.GetTempPath()) { Environment = environment }, CancellationToken.None);
    }

    private async Task WatchJobAsync(HttpContext context, bool? watch, string? fieldSelector)
    {
        var name = fieldSelector?.Split('=', 2)[1];
        Watching.TrySetResult();
        context.Response.ContentType = "application/json";
        if (Interlocked.Increment(ref _watches) == 1 && ExpireFirstWatch)
        {
            await context.Response.WriteAsync(
                "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}}\n",
                context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            // Kept open: the runner must act on the event itself, not wait for the stream to end.
            await WaitUntilClientLeavesAsync(context);
            return;
        }

        if (watch == true && name is not null && _finished.TryGetValue(name, out var finished))
        {
            var line = $"{{\"type\":\"MODIFIED\",\"object\":{KubernetesJson.Serialize(finished)}}}\n";
            await context.Response.WriteAsync(line, context.RequestAborted);
            return;
        }

        await context.Response.Body.FlushAsync(context.RequestAborted);
        await WaitUntilClientLeavesAsync(context);
    }

    private async Task FollowLogAsync(HttpContext context, string name, string container, bool? follow)
    {
        var pod = _pods[name];
        var log = pod.Metadata.Annotations[container == JobManifest.RestoreContainer ? "restore-log" : "command-log"];
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(log, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var status = pod.Status.ContainerStatuses.Concat(pod.Status.InitContainerStatuses).Single(s => s.Name == container);
        if (follow == true && status.State.Running is not null && pod.Status.Phase == "Running")
        {
            await WaitUntilClientLeavesAsync(context);
        }
    }

    private async Task<IResult> DeleteJobAsync(HttpRequest request, string name)
    {
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var options = body.Length > 0 ? KubernetesJson.Deserialize<V1DeleteOptions>(body) : null;
        DeletedJobs.Enqueue((name, options?.PropagationPolicy));
        _jobs.TryRemove(name, out _);
        return Json(new V1Status { Kind = "Status", ApiVersion = "v1", Status = "Success" });
    }

    private static async Task WaitUntilClientLeavesAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool Selects(string selector, IDictionary<string, string> labels) =>
        selector.Split(',').All(term => term.Split('=', 2) is [var key, var value] && labels.TryGetValue(key, out var actual) && actual == value);

    private static IResult Json(object? value, int status = StatusCodes.Status200OK) => value is null
        ? Results.NotFound()
        : Results.Content(KubernetesJson.Serialize(value), "application/json", Encoding.UTF8, status);
}
