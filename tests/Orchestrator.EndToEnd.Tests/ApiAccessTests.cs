using System.Text;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The API keys and the repository allow-list as the AppHost configures them, on the running system.</summary>
[Collection(OrchestratorCollection.Name)]
public sealed class ApiAccessTests(OrchestratorApp app)
{
    private const string WrongKey = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task Requests_without_a_key_or_with_a_wrong_key_get_401_and_create_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = app.CreateSampleRepository();
        var before = (await app.Api.GetFromJsonAsync<JsonElement>("/features", ct)).GetArrayLength();
        var feature = $"/features/{Guid.NewGuid()}";
        var body = JsonSerializer.Serialize(new { repository, request = "Add a Power method", script = "demo-power" });

        foreach (var key in new[] { null, WrongKey })
        {
            using var client = app.CreateClient(key);
            foreach (var (method, path) in new[] { ("POST", "/features"), ("GET", "/features"), ("GET", feature), ("GET", $"{feature}/events"), ("POST", $"{feature}/cancel") })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                request.Content = method == "POST" ? new StringContent(body, Encoding.UTF8, "application/json") : null;
                var response = await client.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with key {key is not null}: {response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain(WrongKey, text);
            }
        }

        var after = (await app.Api.GetFromJsonAsync<JsonElement>("/features", ct)).GetArrayLength();
        Assert.Equal(before, after);
        Assert.False(Directory.Exists(Path.Combine(repository, "orchestrator", "pulls")));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_stays_open_without_a_key(string path)
    {
        using var client = app.CreateClient(key: null);

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("agents", "Agents:WorkRoot")]
    [InlineData("merge", "Merge:WorkRoot")]
    public async Task A_repository_in_the_services_own_folders_is_refused_even_with_local_repositories_allowed(string folder, string setting)
    {
        var ct = TestContext.Current.CancellationToken;
        var inside = Path.Combine(app.Root, folder, "some-feature", "repository.git");

        var response = await app.Api.PostAsJsonAsync("/features", new { repository = inside, request = "Add a Power method", script = "demo-power" }, ct);

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        var reason = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("repository")[0].GetString();
        Assert.Contains(setting, reason);
    }
}
