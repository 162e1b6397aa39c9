using System.Net;
using System.Text.Json;
using Orchestrator.Http;

namespace Orchestrator.Tests.Api;

/// <summary>The OpenAPI document and the reference page, from the real endpoints, without an API key.</summary>
public sealed class ApiReferenceTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_openapi_document_describes_every_features_endpoint_with_its_bodies_and_the_api_key()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client(null).GetAsync(ApiReference.DocumentPath, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.Equal(
            ["/features", "/features/{id}", "/features/{id}/approve", "/features/{id}/cancel", "/features/{id}/events", "/features/{id}/reject",
             "/features/{id}/tasks/{taskId}/log", "/features/{id}/tasks/{taskId}/log/events"],
            paths.EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/features", StringComparison.Ordinal)).Order());

        var submit = paths.GetProperty("/features").GetProperty("post");
        var body = submit.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("#/components/schemas/SubmitFeatureRequest", body.GetProperty("$ref").GetString());
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("SubmitFeatureRequest")
            .GetProperty("properties").TryGetProperty("repository", out _));
        Assert.Equal(["202", "400", "401", "413", "429", "503"], submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiReference.SecuritySchemeName);
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var operations = paths.EnumerateObject().Where(p => p.Name.StartsWith("/features", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()).ToList();
        Assert.Equal(9, operations.Count);
        Assert.All(operations, operation => Assert.True(
            operation.Value.GetProperty("security")[0].TryGetProperty(ApiReference.SecuritySchemeName, out _), $"{operation.Name} does not ask for the key"));
    }

    [Fact]
    public async Task The_reference_page_reads_the_document_with_a_script_served_here()
    {
        await using var api = await ApiHost.StartAsync(_root.Path);
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client(null).GetAsync(ApiReference.PagePath, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains(ApiReference.DocumentPath.TrimStart('/'), page, StringComparison.Ordinal);
        // Offline and private: no script or style from anyone else's server.
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(page, "<script[^>]+src=\"(?<src>[^\"]+)\"").Groups["src"].Value;
        var served = await api.Client(null).GetAsync(new Uri(new Uri(api.Address, ApiReference.PagePath + "/"), script), ct);
        Assert.True(served.IsSuccessStatusCode, $"the page's script {script}: {served.StatusCode}\n{page}");
        Assert.True((await served.Content.ReadAsByteArrayAsync(ct)).Length > 100_000, "the reference page's script is served whole");
    }
}
