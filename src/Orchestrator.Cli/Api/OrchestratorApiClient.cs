using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Cli.Api;

/// <summary>
/// Thin typed wrapper over the Orchestrator HTTP API. Every failure surfaces as an
/// <see cref="OrchestratorApiException"/> with a user-readable message, so commands never leak stack traces.
/// </summary>
internal sealed partial class OrchestratorApiClient(HttpClient http)
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
    public Task<string> GetFeatureJsonAsync(string id, CancellationToken cancellationToken) =>
        GetJsonTextAsync(FeaturePath(id), cancellationToken);

    /// <summary>Every feature exactly as the server sent them, for <c>list --json</c>.</summary>
    public Task<string> ListFeaturesJsonAsync(CancellationToken cancellationToken) =>
        GetJsonTextAsync("features", cancellationToken);

    public async Task<IReadOnlyList<Feature>> ListFeaturesAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "features"), cancellationToken);
        return await ReadAsync<List<Feature>>(response, cancellationToken);
    }

    public async Task<Feature> CancelAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => CancelRequest(id, reason), cancellationToken);
        return await ReadAsync<Feature>(response, cancellationToken);
    }

    /// <summary>The API's answer to the cancel exactly as it sent it, for <c>cancel --json</c>.</summary>
    public async Task<string> CancelJsonAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => CancelRequest(id, reason), cancellationToken);
        return await ReadJsonTextAsync(response, cancellationToken);
    }

    public async Task<Feature> ApproveAsync(string id, ApproveFeatureRequest approval, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => PostJson($"{FeaturePath(id)}/approve", approval), cancellationToken);
        return await ReadAsync<Feature>(response, cancellationToken);
    }

    /// <summary>The API's answer to the approval exactly as it sent it, for <c>approve --json</c>.</summary>
    public async Task<string> ApproveJsonAsync(string id, ApproveFeatureRequest approval, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => PostJson($"{FeaturePath(id)}/approve", approval), cancellationToken);
        return await ReadJsonTextAsync(response, cancellationToken);
    }

    public async Task<Feature> RejectAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => PostJson($"{FeaturePath(id)}/reject", new RejectFeatureRequest(reason)), cancellationToken);
        return await ReadAsync<Feature>(response, cancellationToken);
    }

    /// <summary>The API's answer to the rejection exactly as it sent it, for <c>reject --json</c>.</summary>
    public async Task<string> RejectJsonAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => PostJson($"{FeaturePath(id)}/reject", new RejectFeatureRequest(reason)), cancellationToken);
        return await ReadJsonTextAsync(response, cancellationToken);
    }

    private static HttpRequestMessage PostJson<T>(string path, T body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };

    private static HttpRequestMessage CancelRequest(string id, string? reason) =>
        new(HttpMethod.Post, $"{FeaturePath(id)}/cancel")
        {
            Content = JsonContent.Create(new CancelFeatureRequest(reason), options: ApiJson.Options),
        };

    private async Task<string> GetJsonTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return await ReadJsonTextAsync(response, cancellationToken);
    }

    // Relative to a base address ending in '/', so an API mounted under a path prefix still works.
    private static string FeaturePath(string id) => $"features/{Uri.EscapeDataString(id)}";

    // A stream (server-sent events) is read with ResponseHeadersRead: the default would wait for its end.
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage response;
        try
        {
            using var request = createRequest();
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("application/problem+json");
            response = await http.SendAsync(request, completion, cancellationToken);
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
            throw UnexpectedBody(response, e);
        }
    }

    // --json passes the body on untouched, but only when it is JSON: a proxy's HTML page must not reach a script as output.
    private async Task<string> ReadJsonTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            return body.TrimEnd();
        }
        catch (JsonException e)
        {
            throw UnexpectedBody(response, e);
        }
    }

    private static OrchestratorApiException UnexpectedBody(HttpResponseMessage response, JsonException e) =>
        new($"the API answered {(int)response.StatusCode} with a body that is not what was expected ({Text.OneLine(e.Message)})", e);

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
