using System.Net.Sockets;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes;

/// <summary>
/// The client of the Kubernetes API the runner talks to: <c>Runner:Kubernetes:ApiUrl</c> when set (a test's
/// stand-in), else the pod's in-cluster configuration. Made on first use, and again after a failure, so a service
/// that starts before its ServiceAccount token is mounted recovers without a restart.
/// </summary>
public sealed class KubernetesApi(IOptions<KubernetesJobRunnerOptions> options) : IDisposable
{
    private readonly Lazy<IKubernetes> _client = new(() => Create(options.Value), LazyThreadSafetyMode.PublicationOnly);

    /// <exception cref="SandboxUnavailableException">There is no API to talk to (not in a cluster, no ApiUrl).</exception>
    public IKubernetes Client
    {
        get
        {
            try
            {
                return _client.Value;
            }
            catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                // No service account mounted (not in a cluster, or automountServiceAccountToken is off for this pod).
                throw new SandboxUnavailableException(
                    $"Repository commands are refused: Runner:Kind=KubernetesJob, but this service is not in a cluster ({ex.Message}) " +
                    $"and {KubernetesJobRunnerOptions.Section}:{nameof(KubernetesJobRunnerOptions.ApiUrl)} is not set.");
            }
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary>
    /// The failure, said so that the model, the pull request and an operator can act on it; null when
    /// <paramref name="exception"/> is not a failure to reach or use the API. No response body: it is not ours to show.
    /// </summary>
    public static string? Describe(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } when (int)response.StatusCode is 401 or 403 =>
            $"the Kubernetes API refused the runner ({(int)response.StatusCode} {response.ReasonPhrase}); " +
            "check the service's ServiceAccount and its Role orchestrator-runner-launcher",
        HttpOperationException { Response: { } response } =>
            $"the Kubernetes API answered {(int)response.StatusCode} {response.ReasonPhrase}",
        HttpRequestException { InnerException: SocketException socket } =>
            $"the Kubernetes API cannot be reached ({socket.SocketErrorCode})",
        HttpRequestException http => $"the Kubernetes API cannot be reached ({http.Message})",
        IOException io => $"the connection to the Kubernetes API broke ({io.Message})",
        _ => null,
    };

    private static IKubernetes Create(KubernetesJobRunnerOptions settings)
    {
        var configuration = string.IsNullOrWhiteSpace(settings.ApiUrl)
            ? KubernetesClientConfiguration.InClusterConfig()
            : new KubernetesClientConfiguration { Host = settings.ApiUrl };

        // Watches and followed logs last as long as the command: the run's own timeout and token bound every call.
        configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        return new k8s.Kubernetes(configuration);
    }
}
