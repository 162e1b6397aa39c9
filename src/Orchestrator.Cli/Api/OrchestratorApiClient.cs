using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Cli.Api;

/// <summary>
/// Thin typed wrapper over the Orchestrator HTTP API. Every failure surfaces as an
/// <see cref="OrchestratorApiException"/> with a user-readable message, so commands never leak stack traces.
/// </summary>
internal sealed class OrchestratorApiClient(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress ?? throw new InvalidOperationException("HttpClient needs a BaseAddress.");

    public async Task<SubmittedFeature> SubmitAsync(SubmitFeatureRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, "features")
            {
                Content = JsonContent.Create(request, options: ApiJson.Options),
            },
            cancellationToken);
        var feature = await ReadAsync<Feature>(response, cancellationToken);
        var location = response.Headers.Location is { } header ? new Uri(BaseAddress, header) : null;
        return new SubmittedFeature(feature, location);
    }

    public async Task<Feature> GetFeatureAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, FeaturePath(id)), cancellationToken);
        return await ReadAsync<Feature>(response, cancellationToken);
    }

    /// <summary>The feature exactly as the server sent it, for <c>status --json</c>.</summary>
    public async Task<string> GetFeatureJsonAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, FeaturePath(id)), cancellationToken);
        return await ReadBodyAsync(response, cancellationToken);
    }

    public async Task<IReadOnlyList<Feature>> ListFeaturesAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "features"), cancellationToken);
        return await ReadAsync<List<Feature>>(response, cancellationToken);
    }

    public async Task<Feature> CancelAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"{FeaturePath(id)}/cancel")
            {
                Content = JsonContent.Create(new CancelFeatureRequest(reason), options: ApiJson.Options),
            },
            cancellationToken);
        return await ReadAsync<Feature>(response, cancellationToken);
    }

    // Relative to a base address ending in '/', so an API mounted under a path prefix still works.
    private static string FeaturePath(string id) => $"features/{Uri.EscapeDataString(id)}";

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = createRequest();
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("application/problem+json");
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException(BaseAddress, Text.OneLine(e.Message), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; the caller did not cancel.
            throw new ApiUnreachableException(BaseAddress, "the request timed out", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ApiKeyRefusedException(http.DefaultRequestHeaders.Authorization is not null);
            }

            var body = await ReadBodyAsync(response, cancellationToken);
            throw new ApiProblemException(ProblemDetails.Parse(response.StatusCode, response.ReasonPhrase, body));
        }
    }

    private async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException(BaseAddress, Text.OneLine(e.Message), e);
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(body, ApiJson.Options)
                ?? throw new OrchestratorApiException($"the API answered {(int)response.StatusCode} with an empty body");
        }
        catch (JsonException e)
        {
            throw new OrchestratorApiException(
                $"the API answered {(int)response.StatusCode} with a body that is not what was expected ({Text.OneLine(e.Message)})",
                e);
        }
    }

    /// <summary>
    /// Builds the client the CLI uses: a test may pass its own handler, otherwise a real socket handler. The key, when
    /// there is one, goes with every request as a bearer token.
    /// </summary>
    public static HttpClient CreateHttpClient(Uri baseAddress, string? apiKey, HttpMessageHandler? handler, TimeSpan requestTimeout)
    {
        var client = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = baseAddress;
        client.Timeout = requestTimeout;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("orchestrator-cli/1.0");
        if (!string.IsNullOrEmpty(apiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }
}
