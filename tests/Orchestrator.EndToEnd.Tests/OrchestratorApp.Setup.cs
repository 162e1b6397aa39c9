using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Orchestrator.Testing.Telemetry;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>How the shared system is set up around the AppHost: where its telemetry goes.</summary>
public sealed partial class OrchestratorApp
{
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
