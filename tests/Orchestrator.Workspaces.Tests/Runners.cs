using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Workspaces.Tests;

internal static class Runners
{
    public static ProcessRunner Create() => new(NullLogger<ProcessRunner>.Instance);
}
