using System.ComponentModel.DataAnnotations;
using k8s.Models;

namespace Orchestrator.Workspaces.Kubernetes;

public enum RunnerKind
{
    /// <summary>The local runner: bubblewrap, or plain child processes under <c>Sandbox:Mode=none</c>.</summary>
    Sandbox,

    /// <summary>One Kubernetes Job per repository command (<see cref="KubernetesJobCommandRunner"/>).</summary>
    KubernetesJob,
}

/// <summary>Configuration section <c>Runner</c>: where this service's repository commands run.</summary>
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    [EnumDataType(typeof(RunnerKind))]
    public RunnerKind Kind { get; set; } = RunnerKind.Sandbox;
}

/// <summary>Configuration section <c>Runner:Kubernetes</c>: the Jobs <see cref="KubernetesJobCommandRunner"/> starts.</summary>
public sealed class KubernetesJobRunnerOptions
{
    public const string Section = "Runner:Kubernetes";

    /// <summary>Where the pod's own namespace is written when it runs in a cluster.</summary>
    public const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>Namespace of the Jobs; unset: the namespace this service's pod runs in.</summary>
    public string? Namespace { get; set; }

    /// <summary>The runner image: an SDK image with git (e.g. <c>mcr.microsoft.com/dotnet/sdk:10.0</c>).</summary>
    public string? Image { get; set; }

    public string ServiceAccountName { get; set; } = "orchestrator-runner";

    public string CpuRequest { get; set; } = "500m";

    public string CpuLimit { get; set; } = "2";

    public string MemoryRequest { get; set; } = "1Gi";

    public string MemoryLimit { get; set; } = "4Gi";

    /// <summary>
    /// The size limit of the clone's emptyDir; a command that writes more is evicted (the local sandbox bounds its
    /// tmpfs the same way), so no repository can fill the node's disk.
    /// </summary>
    public string WorkspaceSizeLimit { get; set; } = "4Gi";

    /// <summary>The size limit of each of the home (package cache) and /tmp emptyDirs.</summary>
    public string TemporarySizeLimit { get; set; } = "2Gi";

    /// <summary>The Job's deadline; a request's own timeout, when shorter, wins.</summary>
    [Range(10, 86_400)]
    public int ActiveDeadlineSeconds { get; set; } = 600;

    /// <summary>The backstop that removes a finished Job the runner could not delete (it deletes every Job it started).</summary>
    [Range(0, 86_400)]
    public int TtlSecondsAfterFinished { get; set; } = 300;

    /// <summary>The API server (e.g. a test's stand-in); unset: the in-cluster configuration of the service's pod.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>
    /// The <c>orchestrator.dev/role</c> label of this service's Jobs (coder, tester, docs, merge); unset: taken from the
    /// service's application name (<c>Orchestrator.Agents.Coder</c> → <c>coder</c>).
    /// </summary>
    public string? Role { get; set; }

    /// <summary>The uid the runner's containers run as (non-root; 1654 is the .NET images' <c>app</c> user).</summary>
    [Range(1, int.MaxValue)]
    public long RunAsUser { get; set; } = 1654;

    /// <summary>How long one API call (create, get, delete; not a watch or a log stream) may take.</summary>
    [Range(1, 600)]
    public int ApiCallTimeoutSeconds { get; set; } = 30;

    /// <summary>The namespace Jobs go to: the configured one, else the pod's own; null when neither is known.</summary>
    public string? ResolveNamespace(string serviceAccountNamespaceFile = ServiceAccountNamespaceFile)
    {
        if (!string.IsNullOrWhiteSpace(Namespace))
        {
            return Namespace.Trim();
        }

        return File.Exists(serviceAccountNamespaceFile) && File.ReadAllText(serviceAccountNamespaceFile).Trim() is { Length: > 0 } own ? own : null;
    }

    /// <summary>What is wrong with this configuration, each naming its key; checked at start when Runner:Kind=KubernetesJob.</summary>
    public IEnumerable<ValidationResult> Validate()
    {
        if (ResolveNamespace() is null)
        {
            yield return Invalid(
                $"{Section}:{nameof(Namespace)} is required outside a cluster ({ServiceAccountNamespaceFile} does not name the pod's namespace).",
                nameof(Namespace));
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            yield return Invalid($"{Section}:{nameof(Image)} is required when Runner:Kind=KubernetesJob (the runner image, an SDK image with git).", nameof(Image));
        }

        foreach (var (name, value) in Quantities())
        {
            if (!IsQuantity(value))
            {
                yield return Invalid($"{Section}:{name}: '{value}' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi).", name);
            }
        }

        if (ApiUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var api) && api.Scheme is "http" or "https"))
        {
            yield return Invalid($"{Section}:{nameof(ApiUrl)}: '{url}' is not an http(s) URL.", nameof(ApiUrl));
        }

        if (string.IsNullOrWhiteSpace(ServiceAccountName))
        {
            yield return Invalid($"{Section}:{nameof(ServiceAccountName)} must not be empty.", nameof(ServiceAccountName));
        }
    }

    private IEnumerable<(string Name, string Value)> Quantities() =>
    [
        (nameof(CpuRequest), CpuRequest), (nameof(CpuLimit), CpuLimit), (nameof(MemoryRequest), MemoryRequest), (nameof(MemoryLimit), MemoryLimit),
    ];

    private static bool IsQuantity(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        try
        {
            _ = new ResourceQuantity(value).ToDecimal();
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static ValidationResult Invalid(string message, string member) => new(message, [member]);
}
