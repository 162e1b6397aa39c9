using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary>
/// A GitHub REST API on a random localhost port, answering with the recorded and documented responses under
/// <c>GitHub/Fixtures</c> (see the README there). <paramref name="prefix"/> serves it under a path, as Enterprise
/// Server does under <c>/api/v3</c>.
/// </summary>
internal sealed class GitHubApiFake(string prefix = "") : IDisposable
{
    public const string Owner = "octocat";
    public const string Repo = "Hello-World";
    public const string Repos = $"/repos/{Owner}/{Repo}";

    private readonly WireMockServer _server = WireMockServer.Start();

    public string Prefix { get; } = prefix;

    public string ApiUrl => $"{_server.Url}{Prefix}/";

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "GitHub", "Fixtures", name));

    /// <summary>Every request received, in order, with the prefix removed from its path.</summary>
    public IReadOnlyList<ReceivedRequest> Requests =>
        _server.LogEntries
            .Select(e => e.RequestMessage)
            .OrderBy(r => r.DateTime)
            .Select(r => new ReceivedRequest(
                r.Method,
                r.Path.StartsWith(Prefix, StringComparison.Ordinal) ? r.Path[Prefix.Length..] : r.Path,
                (r.Query ?? new Dictionary<string, WireMock.Types.WireMockList<string>>()).ToDictionary(q => q.Key, q => string.Join(",", q.Value)),
                (r.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
                    .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                r.Body))
            .ToList();

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (under <see cref="Repos"/> when relative).</summary>
    public Stub On(string method, string path) => new(this, method, path.StartsWith('/') ? path : $"{Repos}/{path}");

    public void Dispose() => _server.Stop();

    internal sealed class Stub(GitHubApiFake api, string method, string path)
    {
        private string? _scenario;
        private string? _whenState;
        private string? _nextState;

        /// <summary>Takes part in a WireMock scenario: matches only in <paramref name="state"/> (null = the start), then moves to <paramref name="next"/>.</summary>
        public Stub InScenario(string name, string? state = null, string? next = null)
        {
            _scenario = name;
            _whenState = state;
            _nextState = next;
            return this;
        }

        public void Reply(int status, string? json = null, IReadOnlyDictionary<string, string>? headers = null)
        {
            var request = Request.Create().WithPath(api.Prefix + path).UsingMethod(method);
            var builder = api._server.Given(request);
            if (_scenario is not null)
            {
                builder = builder.InScenario(_scenario);
                if (_whenState is not null)
                {
                    builder = builder.WhenStateIs(_whenState);
                }

                if (_nextState is not null)
                {
                    builder = builder.WillSetStateTo(_nextState);
                }
            }

            var response = Response.Create().WithStatusCode(status)
                .WithHeader("Content-Type", "application/json; charset=utf-8")
                .WithHeader("X-GitHub-Media-Type", "github.v3; format=json");
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                response = response.WithHeader(name, value);
            }

            builder.RespondWith(json is null ? response : response.WithBody(json));
        }

        public void ReplyFixture(int status, string fixture, IReadOnlyDictionary<string, string>? headers = null) =>
            Reply(status, Fixture(fixture), headers);
    }
}

internal sealed record ReceivedRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public override string ToString() => $"{Method} {Path}";

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body ?? "null");
        return document.RootElement.Clone();
    }
}
