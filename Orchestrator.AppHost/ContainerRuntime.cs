using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace Orchestrator.AppHost;

/// <summary>Decides whether Aspire may start containers here: <c>Messaging:Broker</c> = container | local | auto (default).</summary>
internal static class ContainerRuntime
{
    public static bool IsAvailable(IConfiguration configuration) =>
        configuration["Messaging:Broker"]?.ToLowerInvariant() switch
        {
            "container" => true,
            "local" => false,
            _ => string.IsNullOrWhiteSpace(configuration.GetConnectionString(ResourceNames.Messaging)) && DockerAnswers(),
        };

    // Without an engine, AddRabbitMQ leaves every resource "Waiting" forever; ask the engine first.
    private static bool DockerAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }

            if (!docker.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
