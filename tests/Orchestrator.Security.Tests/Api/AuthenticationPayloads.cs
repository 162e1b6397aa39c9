using System.Net;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// Requests without a valid API key, or with one in the wrong place: each is answered 401 with a Bearer challenge and
/// shows nothing of any feature; the health endpoints stay open.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class AuthenticationPayloads(ApiUnderAttack api)
{
    private static readonly string SomeFeature = $"/features/{Guid.NewGuid()}";

    /// <summary>Payload name → (method, path, the Authorization header sent or null for none).</summary>
    private static readonly Dictionary<string, (string Method, string Path, string? Authorization)> Payloads = new()
    {
        ["no key: submit"] = ("POST", "/features", null),
        ["no key: list"] = ("GET", "/features", null),
        ["no key: one feature"] = ("GET", SomeFeature, null),
        ["no key: event stream"] = ("GET", $"{SomeFeature}/events", null),
        ["no key: cancel"] = ("POST", $"{SomeFeature}/cancel", null),
        ["wrong key"] = ("GET", "/features", "Bearer wrong-0123456789abcdef0123456789abcdef"),
        ["empty bearer"] = ("GET", "/features", "Bearer "),
        ["the key in the Basic scheme"] = ("GET", "/features", $"Basic {ApiHost.FirstKey}"),
        ["the key without a scheme"] = ("GET", "/features", ApiHost.FirstKey),
        ["the key in upper case"] = ("GET", "/features", $"Bearer {ApiHost.FirstKey.ToUpperInvariant()}"),
        ["a prefix of the key"] = ("GET", "/features", $"Bearer {ApiHost.FirstKey[..20]}"),
        ["the key plus one character"] = ("GET", "/features", $"Bearer {ApiHost.FirstKey}x"),
        ["the key's name instead of the key"] = ("GET", "/features", "Bearer first"),
        ["the key in the query string"] = ("GET", $"/features?api_key={ApiHost.FirstKey}&access_token={ApiHost.FirstKey}", null),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_request_is_refused_401_and_shows_nothing(string payload)
    {
        var (method, path, authorization) = Payloads[payload];
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await api.Client(key: null).SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.DoesNotContain("repository", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_the_configured_key_lists_the_features()
    {
        using var response = await api.Client().GetAsync("/features", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_answer_without_a_key(string path)
    {
        using var response = await api.Client(key: null).GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
