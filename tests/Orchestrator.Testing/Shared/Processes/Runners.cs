using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Support;

internal static class Runners
{
    public static ProcessRunner Create() => new(NullLogger<ProcessRunner>.Instance);

    /// <summary>The real bubblewrap sandbox, as the services configure it by default.</summary>
    public static BubblewrapCommandRunner Sandboxed(SandboxOptions? options = null) =>
        new(Create(), Options.Create(options ?? new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance);
}
