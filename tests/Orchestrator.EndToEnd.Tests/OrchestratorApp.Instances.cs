using System.Diagnostics;
using System.Text;
using Aspire.Hosting;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>More instances of a service than the AppHost runs, started beside it by a test.</summary>
public sealed partial class OrchestratorApp
{
    /// <summary>
    /// Starts one more instance of <paramref name="resource"/> (an agent service) with the environment the AppHost gave
    /// the running one — its broker, model and settings — but a work root of its own (instances share no disk, ADR 0005)
    /// and no HTTP port of its own to collide on. The caller waits for it to consume (it answers no health probe here).
    /// </summary>
    public async Task<ServiceInstance> StartAnotherInstanceAsync(string resource, string workRoot)
    {
        var running = await _app!.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        var project = running.Snapshot.Properties.Single(p => p.Name == "project.path").Value!.ToString()!;
        // The built service itself (not `dotnet run`, whose own process would stand between): its pid names the instance.
        var name = Path.GetFileNameWithoutExtension(project);
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", SourceTree.BuildConfiguration, "net10.0", $"{name}.dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(project)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var variable in running.Snapshot.EnvironmentVariables.Where(v => v.IsFromSpec && v.Value is not null))
        {
            start.Environment[variable.Name] = variable.Value;
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("HTTP_PORTS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment["Agents__WorkRoot"] = workRoot;
        return ServiceInstance.Start(start);
    }
}

/// <summary>A service process a test started; disposing kills it and everything it started.</summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceInstance(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What it has written so far, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServiceInstance Start(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        var instance = new ServiceInstance(process);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
