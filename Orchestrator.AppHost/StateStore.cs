using Microsoft.Extensions.Configuration;

namespace Orchestrator.AppHost;

/// <summary>
/// Where the orchestrator keeps feature state (<c>State:Store</c>): <c>sqlite</c> (the default: a file, one
/// orchestrator) or <c>postgres</c> (several orchestrators on one database) — a given <c>ConnectionStrings:state</c>
/// (e.g. from <c>scripts/postgres.sh ensure</c>), else a PostgreSQL container when a container runtime answers.
/// </summary>
internal static class StateStore
{
    public static async Task<IResourceBuilder<ProjectResource>> WithStateStoreAsync(
        this IResourceBuilder<ProjectResource> orchestrator, IDistributedApplicationBuilder builder, string repositoryRoot)
    {
        var configuration = builder.Configuration;
        if (!string.Equals(configuration["State:Store"], "postgres", StringComparison.OrdinalIgnoreCase))
        {
            // State:Path moves the file (tests use a fresh one).
            var path = Path.GetFullPath(configuration["State:Path"] ?? Path.Combine(repositoryRoot, ".orchestrator", "state", "orchestrator.db"));
            return orchestrator.WithEnvironment("ConnectionStrings__state", $"Data Source={path}");
        }

        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(ResourceNames.State)))
        {
            return orchestrator.WithReference(builder.AddConnectionString(ResourceNames.State));
        }

        if (await ContainerRuntime.IsAvailableAsync(configuration))
        {
            var database = builder.AddPostgres("postgres").AddDatabase(ResourceNames.State);
            return orchestrator.WithReference(database).WaitFor(database);
        }

        throw new InvalidOperationException(
            "State:Store=postgres needs ConnectionStrings:state (scripts/postgres.sh ensure prints one for the local PostgreSQL) " +
            "or a container runtime for a PostgreSQL container.");
    }
}
