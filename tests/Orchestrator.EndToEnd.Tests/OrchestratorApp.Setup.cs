using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Orchestrator.Testing.Telemetry;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>How the shared system is set up around the AppHost: where its telemetry goes, where the repository is.</summary>
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

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Orchestrator.sln not found above the test binaries.");
    }
}
