namespace Orchestrator.Llm;

/// <summary>
/// Reads the endpoint's answer inside the attempt, so the attempt's timeout covers the whole answer and a body that
/// never comes is retried like a status line that never comes. A streamed answer may take long as a whole, so there
/// the timeout bounds each pause instead.
/// </summary>
internal sealed class ModelEndpointAnswerHandler(TimeSpan timeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // A retry sends the same request again; buffered, its body can be sent twice.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await ReadAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken attempt)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            await response.Content.LoadIntoBufferAsync(attempt);
            return;
        }

        var stream = await response.Content.ReadAsStreamAsync(attempt);
        var content = new StreamContent(new IdleTimeoutStream(stream, timeout));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
    }
}
