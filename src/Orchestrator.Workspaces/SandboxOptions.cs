using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Workspaces;

public enum SandboxMode
{
    /// <summary>Every repository command runs inside bubblewrap; without it commands are refused.</summary>
    Bubblewrap,

    /// <summary>Commands run as the service's own child processes. Only for machines where repository code is trusted.</summary>
    None,
}

/// <summary>Configuration section <c>Sandbox</c>: how repository commands (restore, build, test) are isolated.</summary>
public sealed class SandboxOptions : IValidatableObject
{
    public const string Section = "Sandbox";

    [EnumDataType(typeof(SandboxMode))]
    public SandboxMode Mode { get; set; } = SandboxMode.Bubblewrap;

    /// <summary>The bubblewrap executable: a name looked up on PATH, or a full path.</summary>
    [Required]
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>Memory each process of a command may allocate (RLIMIT_DATA), in MiB.</summary>
    [Range(64, 1_048_576)]
    public int MemoryLimitMegabytes { get; set; } = 2048;

    /// <summary>Processes and threads a command may have at once (RLIMIT_NPROC); `dotnet test` of a small solution peaks near 100.</summary>
    [Range(16, 65_536)]
    public int MaxProcesses { get; set; } = 512;

    /// <summary>Size of each in-memory scratch file system of a run (its HOME and /tmp; /dev/shm), in MiB.</summary>
    [Range(16, 65_536)]
    public int TemporarySpaceMegabytes { get; set; } = 1024;

    /// <summary>More host folders the command may read (a toolchain outside /usr, say); never a folder holding secrets.</summary>
    public List<string> ExtraReadOnlyPaths { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var path in ExtraReadOnlyPaths)
        {
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path) || Path.TrimEndingDirectorySeparator(path) == "/")
            {
                yield return new ValidationResult(
                    $"Sandbox:ExtraReadOnlyPaths: '{path}' must be an absolute path other than '/'.", [nameof(ExtraReadOnlyPaths)]);
            }
        }
    }
}
