using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Support;

internal static class Runners
{
    public static ProcessRunner Create() => new(NullLogger<ProcessRunner>.Instance);
}
