using System.Net;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>An in-memory handler that records requests; answers an empty feature list.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("[]", System.Text.Encoding.UTF8, "application/json"),
        });
    }
}
