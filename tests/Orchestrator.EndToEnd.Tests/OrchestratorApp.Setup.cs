using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Orchestrator.Testing.Telemetry;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>How the shared system is set up around the AppHost: where its telemetry goes, which roles it has.</summary>
public sealed partial class OrchestratorApp
{
    /// <summary>The generic agent service the AppHost starts for the example role (<see cref="ExampleRoleSettings"/>).</summary>
    public const string ConfiguredRoleService = "ops";

    /// <summary>
    /// The shipped example role's configuration (samples/roles/ops/appsettings.json) as AppHost arguments: the system runs
    /// with it exactly as an operator would add it.
    /// </summary>
    private static IEnumerable<string> ExampleRoleSettings() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot, "samples", "roles", "ops", "appsettings.json"))
            .Build()
            .AsEnumerable()
            .Where(setting => setting.Value is not null)
            .Select(setting => $"{setting.Key}={setting.Value}");

    /// <summary>
    /// Points every service's OpenTelemetry exporter at <paramref name="collector"/>, exporting often. Runs after the
    /// AppHost's own OTLP settings (the dashboard's, which the testing builder leaves out), so these win.
    /// </summary>
    private static void ExportTelemetryTo(IDistributedApplicationTestingBuilder builder, OtlpCollector collector)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                foreach (var (name, value) in collector.Environment)
                {
                    context.EnvironmentVariables[name] = value;
                }

                context.EnvironmentVariables["OTEL_SERVICE_NAME"] = project.Name;
                // The dashboard's API key is not the collector's business.
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_HEADERS");
            }));
        }
    }
}
