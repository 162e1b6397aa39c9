using System.ComponentModel;
using CliWrap;
using Microsoft.Extensions.Configuration;

namespace Orchestrator.AppHost;

/// <summary>Decides whether Aspire may start containers here: <c>Messaging:Broker</c> = container | local | auto (default).</summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static async Task<bool> IsAvailableAsync(IConfiguration configuration) =>
        configuration["Messaging:Broker"]?.ToLowerInvariant() switch
        {
            "container" => true,
            "local" => false,
            _ => string.IsNullOrWhiteSpace(configuration.GetConnectionString(ResourceNames.Messaging)) && await DockerAnswersAsync(),
        };

    // Without an engine, AddRabbitMQ leaves every resource "Waiting" forever; ask the engine first. CliWrap directly, not
    // the services' ProcessRunner: docker must see DOCKER_HOST/DOCKER_CONTEXT as DCP will, which the runner's
    // allow-list would strip, and the AppHost holds no secret its own children do not get anyway (ADR 0007).
    private static async Task<bool> DockerAnswersAsync()
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            var result = await Cli.Wrap("docker")
                .WithArguments(["info", "--format", "{{.ServerVersion}}"])
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(timeout.Token);
            return result.IsSuccess;
        }
        catch (Exception ex) when (ex is Win32Exception or OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }
}
