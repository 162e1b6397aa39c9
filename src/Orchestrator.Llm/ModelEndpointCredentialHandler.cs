namespace Orchestrator.Llm;

/// <summary>Puts the key on each request the way the provider wants it; the OpenAI client itself never holds it.</summary>
internal sealed class ModelEndpointCredentialHandler(LlmConnection connection) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        request.Headers.Remove("api-key");
        if (connection.Provider == LlmProvider.AzureOpenAI)
        {
            request.Headers.TryAddWithoutValidation("api-key", connection.Key);
            var uri = new UriBuilder(request.RequestUri!);
            if (!uri.Query.Contains("api-version=", StringComparison.Ordinal))
            {
                uri.Query = (uri.Query.Length > 1 ? uri.Query[1..] + "&" : "") + "api-version=" + Uri.EscapeDataString(connection.ApiVersion!);
                request.RequestUri = uri.Uri;
            }
        }
        else if (connection.Key is { } key)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
