using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces;

/// <summary>
/// Runs repository commands inside bubblewrap (docs/decisions/0010-sandbox.md): own PID, IPC, UTS (and, unless asked
/// for, network) namespaces; the system read-only; the workspace and a fresh in-memory HOME and /tmp the only writable
/// places; no home folder, service state or secret of the host in sight; limits on memory and processes; every process
/// gone when the command ends. Where bubblewrap cannot run, commands are refused (<see cref="SandboxUnavailableException"/>).
/// </summary>
public sealed partial class BubblewrapCommandRunner(
    ProcessRunner processes,
    IOptions<SandboxOptions> options,
    ILogger<BubblewrapCommandRunner> logger) : IRepositoryCommandRunner
{
    private const int FirstSignalExitCode = 129;
    private const int LastSignalExitCode = 128 + 64;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private bool _probed;

    public async Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = CanonicalWorkspace(request.WorkspaceDirectory);
        await EnsureAvailableAsync(cancellationToken);
        return await RunInsideAsync(request with { WorkspaceDirectory = workspace }, cancellationToken);
    }

    private async Task<RepositoryCommandResult> RunInsideAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var user = SandboxUser.ForRunOfCurrentProcess();
        var packages = NuGetPackages.For(request.WorkspaceDirectory);
        var layout = SandboxLayout.For(request.WorkspaceDirectory, request.AllowNetwork, settings, packages, user);
        var limits = request.Limits;
        var arguments = BubblewrapArguments.For(
            layout,
            request.Command,
            limits.MemoryBytes ?? settings.MemoryLimitMegabytes * 1024L * 1024L,
            limits.MaxProcesses ?? settings.MaxProcesses);
        var spec = new ProcessSpec(settings.BubblewrapPath, arguments, request.WorkspaceDirectory)
        {
            Timeout = limits.Timeout,
            MaxOutputChars = limits.MaxOutputChars,
            Environment = layout.EnvironmentVariables(packages),
        };

        LogRunning(logger, request.Command.ToString(), request.WorkspaceDirectory, request.AllowNetwork);
        var loan = user is null ? null : await user.BorrowAsync(processes, request.WorkspaceDirectory, packages.WorkspaceFolder, cancellationToken);
        try
        {
            var result = await processes.RunAsync(spec, cancellationToken);
            var killed = result.TimedOut || result.ExitCode is >= FirstSignalExitCode and <= LastSignalExitCode;
            return new RepositoryCommandResult(result.ExitCode, result.Output, result.TimedOut, result.Duration) { Killed = killed, Sandboxed = true };
        }
        finally
        {
            if (loan is not null)
            {
                await loan.DisposeAsync();
            }
        }
    }

    // The first run proves bubblewrap works here with the very arguments every run uses; a failure is re-checked on
    // the next run, so installing bubblewrap takes effect without a restart.
    private async Task EnsureAvailableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _probed))
        {
            return;
        }

        await _probeGate.WaitAsync(cancellationToken);
        try
        {
            if (!_probed)
            {
                await ProbeAsync(cancellationToken);
                Volatile.Write(ref _probed, true);
            }
        }
        finally
        {
            _probeGate.Release();
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("orchestrator-sandbox-probe-").FullName;
        try
        {
            var probe = new RepositoryCommandRequest(CanonicalWorkspace(scratch), new RepositoryCommand("true", []))
            {
                Limits = new RepositoryCommandLimits { Timeout = ProbeTimeout, MaxOutputChars = 2_000 },
            };
            var result = await RunInsideAsync(probe, cancellationToken);
            if (!result.Succeeded)
            {
                var reason = result.TimedOut ? $"a test run timed out after {ProbeTimeout.TotalSeconds} s" : result.Output.Trim();
                LogUnavailable(logger, reason);
                throw new SandboxUnavailableException(
                    $"Repository commands are refused: the bubblewrap sandbox cannot run on this machine ({reason}). " +
                    "Install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`, or scripts/bubblewrap.sh ensure), " +
                    $"or set {SandboxOptions.Section}:{nameof(SandboxOptions.BubblewrapPath)} to it; only where repository code " +
                    $"is trusted, set {SandboxOptions.Section}:{nameof(SandboxOptions.Mode)}=none to run commands without a sandbox.");
            }
        }
        finally
        {
            WorkspaceDirectory.TryDelete(scratch);
        }
    }

    private static string CanonicalWorkspace(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new ArgumentException($"The workspace '{directory}' must be an absolute path.", nameof(directory));
        }

        // The same path inside and out, with links resolved: bwrap mounts what it is given, and tools print paths.
        return new WorkspaceRoot(directory).Directory;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Command} in a sandbox in {Workspace} (network: {Network})")]
    private static partial void LogRunning(ILogger logger, string command, string workspace, bool network);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bubblewrap sandbox cannot run here, repository commands are refused: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
