using k8s.Models;

namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// The Job and Secret of one run (docs/decisions/0012-kubernetes-job-runner.md). The init container <c>workspace</c>
/// clones the run's snapshot ref into an emptyDir with the credential from the Secret; <c>restore</c> (when asked for)
/// and <c>command</c> then run there with no credential, no service-account token and a read-only root file system.
/// </summary>
internal sealed class JobManifest
{
    public const string WorkspaceContainer = "workspace";
    public const string RestoreContainer = "restore";
    public const string CommandContainer = "command";
    public const string RunLabel = "orchestrator.dev/run";
    public const string NetworkLabel = "orchestrator.dev/network";

    private const string WorkspacePath = "/workspace";
    private const string HomePath = "/home/runner";
    private const string TempPath = "/tmp";

    // Positional parameters ($1 the repository, $2 the ref, $3 the snapshot's commit) so none is ever parsed as shell
    // text; hooks off, as in every git call of the services; one commit deep: the command needs the tree, not the
    // history. The ref is only how the commit is found: whoever else can push to the repository could move it, so the
    // fetched commit must be the snapshot itself. The emptyDir belongs to root while git runs as the pod's user, which
    // git calls dubious ownership unless told otherwise.
    private const string Git = "git -c core.hooksPath=/dev/null -c safe.directory=" + WorkspacePath;
    private const string CloneScript =
        "set -eu\n" +
        "git init -q " + WorkspacePath + "\n" +
        "cd " + WorkspacePath + "\n" +
        Git + " fetch -q --no-tags --depth=1 -- \"$1\" \"$2\"\n" +
        "if [ \"$(" + Git + " rev-parse FETCH_HEAD)\" != \"$3\" ]; then echo \"$2 no longer holds the snapshot $3\" >&2; exit 1; fi\n" +
        Git + " -c advice.detachedHead=false checkout -q --detach \"$3\"\n";

    private readonly KubernetesJobRunnerOptions _options;
    private readonly RepositoryCommandRequest _request;
    private readonly RemoteWorkspace _remote;

    public JobManifest(
        string runId, string role, string snapshotRef, string snapshotCommit, RepositoryCommandRequest request, KubernetesJobRunnerOptions options)
    {
        _options = options;
        _request = request;
        _remote = request.Remote ?? throw new ArgumentException("The request has no remote workspace.", nameof(request));
        RunId = runId;
        SnapshotRef = snapshotRef;
        SnapshotCommit = snapshotCommit;
        Role = role;
        JobName = $"orchestrator-run-{role}-{runId[..12]}";
        SecretName = $"{JobName}-git";
    }

    public string RunId { get; }

    public string Role { get; }

    public string SnapshotRef { get; }

    public string SnapshotCommit { get; }

    public string JobName { get; }

    public string SecretName { get; }

    public bool HasRestore => _request.RestoreFirst is not null;

    public string PodSelector => $"{RunLabel}={RunId}";

    /// <summary>
    /// How long the run may take: the request's timeout for each step, as a local runner gives the restore and the
    /// command one each (RepositoryCommandSteps), so twice that with a restore step in the same pod.
    /// </summary>
    public TimeSpan RunTimeout => RunTimeoutOf(_request);

    public static TimeSpan RunTimeoutOf(RepositoryCommandRequest request) =>
        request.RestoreFirst is null ? request.Limits.Timeout : request.Limits.Timeout * 2;

    /// <summary>The Job's deadline: the configured one, shortened to the run's timeout.</summary>
    public long ActiveDeadlineSeconds =>
        Math.Max(1, Math.Min(_options.ActiveDeadlineSeconds, (long)Math.Ceiling(RunTimeout.TotalSeconds)));

    public V1Job Job() => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = JobName, Labels = Labels() },
        Spec = new V1JobSpec
        {
            // One pod, never retried: a repository command that failed once fails again, and a second pod would
            // run it twice behind the caller's back.
            BackoffLimit = 0,
            ActiveDeadlineSeconds = ActiveDeadlineSeconds,
            TtlSecondsAfterFinished = _options.TtlSecondsAfterFinished,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels() },
                Spec = PodSpec(),
            },
        },
    };

    /// <summary>The credential, for the init container only; owned by the Job, so it goes when the Job goes.</summary>
    public V1Secret Secret(V1Job created) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = SecretName,
            Labels = Labels(),
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = "batch/v1", Kind = "Job", Name = created.Metadata.Name, Uid = created.Metadata.Uid, BlockOwnerDeletion = false,
                },
            ],
        },
        StringData = new Dictionary<string, string>(_remote.GitEnvironment, StringComparer.Ordinal),
    };

    private Dictionary<string, string> Labels() => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/part-of"] = "orchestrator",
        ["app.kubernetes.io/component"] = "runner",
        ["orchestrator.dev/role"] = Role,
        [RunLabel] = RunId,
        // The NetworkPolicy lets only a pod with a restore step reach the package feed.
        [NetworkLabel] = _request.AllowNetwork || HasRestore ? "package-feed" : "none",
    };

    private V1PodSpec PodSpec()
    {
        List<V1Container> init = [CloneContainer()];
        if (_request.RestoreFirst is { } restore)
        {
            init.Add(RepositoryContainer(RestoreContainer, restore));
        }

        return new V1PodSpec
        {
            RestartPolicy = "Never",
            ServiceAccountName = _options.ServiceAccountName,
            AutomountServiceAccountToken = false,
            // No KUBERNETES_SERVICE_HOST and no variables naming the namespace's other services.
            EnableServiceLinks = false,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = _options.RunAsUser,
                RunAsGroup = _options.RunAsUser,
                FsGroup = _options.RunAsUser,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            InitContainers = init,
            Containers = [RepositoryContainer(CommandContainer, _request.Command)],
            Volumes =
            [
                EmptyDirectory("workspace", _options.WorkspaceSizeLimit),
                EmptyDirectory("home", _options.TemporarySizeLimit),
                EmptyDirectory("tmp", _options.TemporarySizeLimit),
            ],
        };
    }

    private V1Container CloneContainer() => new()
    {
        Name = WorkspaceContainer,
        Image = _options.Image,
        Command = ["sh", "-c", CloneScript, "clone", _remote.Repository, SnapshotRef, SnapshotCommit],
        // The credential arrives as git's GIT_CONFIG_* variables from the Secret: never in this spec, a file or a URL.
        EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = SecretName } }],
        Env = [Env("HOME", TempPath), Env("GIT_TERMINAL_PROMPT", "0")],
        VolumeMounts = [Mount("workspace", WorkspacePath), Mount("tmp", TempPath)],
        Resources = Resources(),
        SecurityContext = ContainerSecurity(),
    };

    private V1Container RepositoryContainer(string name, RepositoryCommand command) => new()
    {
        Name = name,
        Image = _options.Image,
        Command = [command.FileName],
        Args = [.. command.Arguments],
        WorkingDir = WorkspacePath,
        Env =
        [
            Env("HOME", HomePath),
            Env("DOTNET_CLI_HOME", HomePath),
            Env("TMPDIR", TempPath),
            Env("NUGET_PACKAGES", $"{HomePath}/.nuget/packages"),
            Env("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
            Env("DOTNET_NOLOGO", "1"),
            // The vulnerability audit would call nuget.org, which nobody configured (docs/security.md).
            Env("NuGetAudit", "false"),
            // Tools that call git (SourceLink, versioning) in a clone owned by another uid: see the clone script.
            Env("GIT_CONFIG_COUNT", "1"),
            Env("GIT_CONFIG_KEY_0", "safe.directory"),
            Env("GIT_CONFIG_VALUE_0", WorkspacePath),
        ],
        VolumeMounts = [Mount("workspace", WorkspacePath), Mount("home", HomePath), Mount("tmp", TempPath)],
        Resources = Resources(),
        SecurityContext = ContainerSecurity(),
    };

    private V1ResourceRequirements Resources() => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(_options.CpuRequest), ["memory"] = new(_options.MemoryRequest),
        },
        Limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(_options.CpuLimit), ["memory"] = new(_options.MemoryLimit),
        },
    };

    private static V1SecurityContext ContainerSecurity() => new()
    {
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static V1Volume EmptyDirectory(string name, string sizeLimit) =>
        new() { Name = name, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(sizeLimit) } };

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static V1VolumeMount Mount(string name, string path) => new() { Name = name, MountPath = path };
}
