using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// Finds or starts what the benchmark runs on: the local RabbitMQ (scripts/rabbitmq.sh) on a vhost of its own, the
/// local PostgreSQL (scripts/postgres.sh), and the services built in the benchmark's own configuration.
/// </summary>
internal static class Infrastructure
{
    /// <summary>The benchmark's vhost when it starts the broker itself: its queues never meet a running system's.</summary>
    public const string Vhost = "orchestrator-bench";

    private static readonly ProcessRunner Processes = new(NullLogger<ProcessRunner>.Instance);

    public static readonly IReadOnlyList<string> Services =
        ["Orchestrator", "Orchestrator.Merge", "Orchestrator.Agents.Coder", "Orchestrator.Agents.Tester", "Orchestrator.Agents.Docs"];

    public static async Task<BenchEnvironment> PrepareAsync(BenchOptions options)
    {
        var root = FindRepositoryRoot();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        if (options.Build)
        {
            foreach (var service in Services)
            {
                Console.WriteLine($"building {service} ({configuration})");
                await RunAsync("dotnet", ["build", Path.Combine("src", service), "-c", configuration, "-v", "q", "-nologo"], root);
            }
        }

        var broker = await BrokerAsync(root);
        var postgres = options.Stores.Contains("postgres") || options.Stores.Count == 0
            ? Environment.GetEnvironmentVariable("ConnectionStrings__postgres") is { Length: > 0 } configured
                ? configured
                : LastLine(await RunAsync("bash", [Path.Combine(root, "scripts", "postgres.sh"), "ensure"], root), "Host=")
            : null;
        return new BenchEnvironment(root, broker, postgres, configuration);
    }

    /// <summary>
    /// <c>ConnectionStrings__messaging</c> when set (point it at a vhost of its own); otherwise the local broker, started
    /// if needed, on the <see cref="Vhost"/> vhost.
    /// </summary>
    private static async Task<Uri> BrokerAsync(string root)
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__messaging") is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        var server = new Uri(LastLine(await RunAsync("bash", [Path.Combine(root, "scripts", "rabbitmq.sh"), "ensure"], root), "amqp://"));
        var user = Uri.UnescapeDataString(server.UserInfo.Split(':')[0]);
        await RunAsync("rabbitmqctl", ["add_vhost", Vhost], root, mayFail: true);
        await RunAsync("rabbitmqctl", ["set_permissions", "-p", Vhost, user, ".*", ".*", ".*"], root);
        return new UriBuilder(server) { Path = "/" + Vhost }.Uri;
    }

    // The scripts print their progress too; the connection string is their one line that starts with its scheme.
    private static string LastLine(string output, string prefix) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException("The script printed no connection string.");

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, string directory, bool mayFail = false)
    {
        var result = await Processes.RunAsync(new ProcessSpec(fileName, arguments, directory), CancellationToken.None);
        if (!result.Succeeded && !mayFail)
        {
            // The output of the broker and database scripts can hold a connection string: say only what failed.
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments.Take(2))} exited {result.ExitCode}.");
        }

        return result.Output;
    }

    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from the repository: Orchestrator.sln was not found above the working directory.");
    }
}
