using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

/// <summary>Runs a shell script as a repository command in the real bubblewrap sandbox of this machine.</summary>
internal static class SandboxShell
{
    /// <summary>Ten minutes unless a test wants a timeout: a test that waits is bounded by its own wait, not by this.</summary>
    public static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(10);

    public static Task<RepositoryCommandResult> RunAsync(
        string workspace,
        string script,
        CancellationToken cancellationToken,
        bool allowNetwork = false,
        SandboxOptions? options = null,
        TimeSpan? timeout = null,
        params string[] arguments) =>
        Runners.Sandboxed(options)
            .RunAsync(
                new RepositoryCommandRequest(workspace, new RepositoryCommand("sh", ["-c", script, "sh", .. arguments]))
                {
                    AllowNetwork = allowNetwork,
                    Limits = new RepositoryCommandLimits { Timeout = timeout ?? LongTimeout },
                },
                cancellationToken)
            .WaitAsync(Eventually.DefaultTimeout, cancellationToken);

    /// <summary>True while any process of the host has <paramref name="marker"/> on its command line.</summary>
    public static bool HostHasProcessWith(string marker)
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(process), out _)
                    && File.ReadAllText(Path.Combine(process, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked.
            }
        }

        return false;
    }
}
