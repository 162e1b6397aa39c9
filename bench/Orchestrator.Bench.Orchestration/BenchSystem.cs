using System.Security.Cryptography;
using Npgsql;

namespace Orchestrator.Bench.Orchestration;

/// <summary>Where the broker and the PostgreSQL server are, and where the built services are.</summary>
internal sealed record BenchEnvironment(string RepositoryRoot, Uri Broker, string? PostgresServer, string Configuration)
{
    public string ServiceDll(string project, string assembly) =>
        Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", $"{assembly}.dll");
}

/// <summary>
/// The system under test for one measurement: the real orchestrator service (one process per replica) on its own
/// state store — a fresh SQLite file or a fresh PostgreSQL database — and, with git included, the real merge service
/// with its staging repositories. Agents are not part of it (they are simulated, see <see cref="SimulatedAgents"/>).
/// </summary>
internal sealed class BenchSystem : IAsyncDisposable
{
    private readonly BenchEnvironment _environment;
    private readonly List<ServiceProcess> _services = [];
    private string? _database;

    private BenchSystem(BenchEnvironment environment, string folder)
    {
        _environment = environment;
        Folder = folder;
    }

    public string Folder { get; }

    public IReadOnlyList<ServiceProcess> Orchestrators => [.. _services.Where(s => s.Name.StartsWith("orchestrator", StringComparison.Ordinal))];

    public ServiceProcess? Merge => _services.FirstOrDefault(s => s.Name == "merge");

    public static async Task<BenchSystem> StartAsync(BenchEnvironment environment, string store, int orchestrators, bool withMerge)
    {
        var system = new BenchSystem(environment, Directory.CreateTempSubdirectory("orchestrator-bench-").FullName);
        try
        {
            await system.StartServicesAsync(store, orchestrators, withMerge);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }

        try
        {
            if (_database is not null)
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE);");
            }
        }
        finally
        {
            // Even when the database went away under the run (a restart), the folder and its logs do not stay behind.
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task StartServicesAsync(string store, int orchestrators, bool withMerge)
    {
        var scripts = Directory.CreateDirectory(Path.Combine(Folder, "scripts")).FullName;
        foreach (var plan in BenchPlan.All)
        {
            await File.WriteAllTextAsync(Path.Combine(scripts, $"{plan.Script}.json"), plan.ScriptJson());
        }

        var broker = _environment.Broker.ToString();
        if (withMerge)
        {
            await MergeBacklog.PurgeAsync(_environment.Broker);
            var port = ServiceProcess.FreePort();
            _services.Add(await ServiceProcess.StartAsync("merge", _environment.ServiceDll("Orchestrator.Merge", "Orchestrator.Merge"),
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__messaging"] = broker,
                    ["Merge__WorkRoot"] = Path.Combine(Folder, "merge"),
                    ["Merge__Staging__Root"] = Path.Combine(Folder, "staging"),
                    ["Merge__Staging__BaseUrl"] = $"http://127.0.0.1:{port}",
                },
                Path.Combine(Folder, "merge.log"), port));
        }

        var state = await StateConnectionStringAsync(store);
        for (var replica = 1; replica <= orchestrators; replica++)
        {
            _services.Add(await ServiceProcess.StartAsync($"orchestrator-{replica}", _environment.ServiceDll("Orchestrator", "Orchestrator"),
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__messaging"] = broker,
                    ["ConnectionStrings__state"] = state,
                    ["Models__ScriptsPath"] = scripts,
                    ["Models__CassettesPath"] = Path.Combine(Folder, "cassettes"),
                    // The simulated merge service prepares no staging repository the planner could read.
                    ["Planner__ReadRepository"] = "false",
                    // The API requires a key; nothing here calls it, so a random one nobody knows.
                    ["Api__Keys__bench"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    // No Reviewer is simulated: a review would wait on a queue nobody serves.
                    ["Features__Review"] = "false",
                },
                Path.Combine(Folder, $"orchestrator-{replica}.log")));
        }
    }

    private async Task<string> StateConnectionStringAsync(string store)
    {
        if (store == "sqlite")
        {
            return $"Data Source={Path.Combine(Folder, "state.db")}";
        }

        _database = "orchestrator_bench_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_database}\";");
        return new NpgsqlConnectionStringBuilder(_environment.PostgresServer) { Database = _database }.ConnectionString;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        var server = _environment.PostgresServer
            ?? throw new InvalidOperationException("No PostgreSQL server: set ConnectionStrings__postgres or let the benchmark run scripts/postgres.sh.");
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
