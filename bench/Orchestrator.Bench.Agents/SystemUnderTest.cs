using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Agents;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it: the AppHost and every service, on the local broker (a vhost of the
/// bench's own unless <c>ConnectionStrings__messaging</c> is set), with its own state folder and a fresh API key in a
/// file. A live model's connection string reaches the AppHost through its environment, never its command line.
/// </summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    public const string Vhost = "orchestrator-agents-bench";
    private static readonly Uri Api = new("http://localhost:5080");

    private readonly Process _appHost;
    private readonly string _state;

    private SystemUnderTest(Process appHost, string state, HttpClient client)
    {
        _appHost = appHost;
        _state = state;
        Client = client;
    }

    /// <summary>The API with the run's key.</summary>
    public HttpClient Client { get; }

    public string LogFile => Path.Combine(_state, "apphost.log");

    /// <param name="llm">The system's <c>ConnectionStrings:llm</c>, or null for the scripted model.</param>
    /// <param name="keyVariable">The variable the model's key was read from: kept out of the AppHost's environment.</param>
    public static async Task<SystemUnderTest> StartAsync(string root, string? llm, string? keyVariable, bool build, ProcessRunner processes)
    {
        await RunAsync(processes, root, "bash", [Path.Combine(root, "scripts", "bubblewrap.sh"), "ensure"]);
        if (await AnswersAsync())
        {
            // Another system (./run.sh, or a bench run whose services are still stopping) would take the features.
            throw new InvalidOperationException($"something already answers at {Api}; stop the running Orchestrator first");
        }

        var broker = await BrokerAsync(processes, root);
        if (build)
        {
            Console.Error.WriteLine("building the AppHost and its services");
            await RunAsync(processes, root, "dotnet", ["build", "Orchestrator.AppHost", "-nologo", "-v", "q", "-clp:NoSummary"]);
            // The .NET sample's packages in the machine's cache: the sandboxed restores stay offline, as in ./run.sh.
            await RunAsync(processes, root, "dotnet", ["restore", "samples/calculator", "-v", "q"]);
        }

        var state = Directory.CreateTempSubdirectory("orchestrator-agents-bench-").FullName;
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var keyFile = Path.Combine(state, "api-key");
        File.WriteAllText(keyFile, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var appHost = Process.Start(AppHostStart(root, state, broker, keyFile, llm, keyVariable))
            ?? throw new InvalidOperationException("the AppHost did not start");
        // One file per stream: two copies into one file would interleave mid-line.
        _ = appHost.StandardOutput.BaseStream.CopyToAsync(File.Create(Path.Combine(state, "apphost.log")));
        _ = appHost.StandardError.BaseStream.CopyToAsync(File.Create(Path.Combine(state, "apphost.err.log")));
        var client = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var system = new SystemUnderTest(appHost, state, client);
        await system.WaitUntilHealthyAsync();
        return system;
    }

    /// <summary>
    /// How the AppHost is started: <c>dotnet run</c> of its http profile, the state folder on the command line, and
    /// everything secret (the model's connection string, the API key file's path) in its environment only. The variable
    /// the key came from is removed: the connection string is the one way the key reaches the system.
    /// </summary>
    internal static ProcessStartInfo AppHostStart(string root, string state, string broker, string keyFile, string? llm, string? keyVariable)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["run", "--project", "Orchestrator.AppHost", "--launch-profile", "http", "--no-build", "--",
                     $"State:Path={Path.Combine(state, "state", "orchestrator.db")}", $"Models:CassettesPath={Path.Combine(state, "cassettes")}"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__messaging"] = broker;
        start.Environment["Api__KeyFiles__bench"] = keyFile;
        start.Environment["Repositories__AllowLocal"] = "true";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ConnectionStrings__llm");
        if (keyVariable is not null)
        {
            start.Environment.Remove(keyVariable);
        }

        if (llm is not null)
        {
            start.Environment["ConnectionStrings__llm"] = llm;
        }

        return start;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_appHost.HasExited)
            {
                throw new InvalidOperationException($"the AppHost exited ({_appHost.ExitCode}); see {LogFile}");
            }

            try
            {
                using var health = await Client.GetAsync(new Uri(Api, "/health"));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"the orchestrator did not become healthy within 3 minutes; see {LogFile}");
    }

    private static async Task<bool> AnswersAsync()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var health = await probe.GetAsync(new Uri(Api, "/health"));
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary><c>ConnectionStrings__messaging</c> when set; otherwise the local broker (started if needed) on <see cref="Vhost"/>.</summary>
    private static async Task<string> BrokerAsync(ProcessRunner processes, string root)
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__messaging") is { Length: > 0 } configured)
        {
            return configured;
        }

        var output = await RunAsync(processes, root, "bash", [Path.Combine(root, "scripts", "rabbitmq.sh"), "ensure"]);
        var server = new Uri(output.Split('\n', StringSplitOptions.TrimEntries).Last(line => line.StartsWith("amqp://", StringComparison.Ordinal)));
        var user = Uri.UnescapeDataString(server.UserInfo.Split(':')[0]);
        await processes.RunAsync(new ProcessSpec("rabbitmqctl", ["add_vhost", Vhost], root), CancellationToken.None);
        await RunAsync(processes, root, "rabbitmqctl", ["set_permissions", "-p", Vhost, user, ".*", ".*", ".*"]);
        return new UriBuilder(server) { Path = "/" + Vhost }.Uri.ToString();
    }

    private static async Task<string> RunAsync(ProcessRunner processes, string root, string fileName, IReadOnlyList<string> arguments)
    {
        var result = await processes.RunAsync(new ProcessSpec(fileName, arguments, root) { Timeout = TimeSpan.FromMinutes(10) }, CancellationToken.None);
        // The broker script's output holds a connection string: say only what failed, and where.
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments.Take(2))} exited {result.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_appHost.HasExited)
        {
            // SIGTERM, as ./run.sh stops it: the AppHost stops its services.
            using (var terminate = Process.Start("kill", ["-TERM", _appHost.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }

            try
            {
                await _appHost.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _appHost.Kill(entireProcessTree: true);
            }
        }

        _appHost.Dispose();
        // DCP stops the services after the AppHost has gone: wait for the API to close, so a next run starts clean.
        for (var i = 0; i < 30 && await AnswersAsync(); i++)
        {
            await Task.Delay(1000);
        }

        Directory.Delete(_state, recursive: true);
    }
}
