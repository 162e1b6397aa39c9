using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.Staging;

/// <summary>
/// The merge service's staging git endpoint on Kestrel, serving two features' staging repositories (copies of one real
/// repository), with the credentials the saga would hand their task attempts — and requests built byte for byte as a
/// git client, or an attacker imitating one, sends them.
/// </summary>
public sealed class StagingUnderAttack : IAsyncLifetime
{
    public const string ZeroId = "0000000000000000000000000000000000000000";
    public const string SomeId = "1234567890abcdef1234567890abcdef12345678";

    /// <summary>The task whose attempt 1 has been superseded by attempt 2.</summary>
    public const string SupersededTask = "superseded";

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();

    internal StagingServer Server { get; private set; } = null!;

    /// <summary>The feature under attack.</summary>
    public Guid Feature { get; } = Guid.NewGuid();

    /// <summary>Another feature, whose credentials must not open <see cref="Feature"/>'s repository.</summary>
    public Guid OtherFeature { get; } = Guid.NewGuid();

    public string Temp => _temp.Path;

    public async ValueTask InitializeAsync()
    {
        Server = await StagingServer.StartAsync(_temp, _runner);
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, TestContext.Current.CancellationToken);
        await Server.PreparedAsync(Feature, origin.Path);
        await Server.PreparedAsync(OtherFeature, origin.Path);
        Assert.True(Server.Keys.IsCurrentAttempt(Feature, SupersededTask, 2));
    }

    public string Url(Guid feature) => Server.Options.RepositoryUrl(feature);

    public static string Branch(Guid feature, string task) => $"orchestrator/tasks/{feature:N}/{task}";

    public string Credential(Guid feature, string task = "implement", int attempt = 1) => Server.Credential(feature, task, attempt);

    public string ReaderCredential(Guid feature) => StagingCredentials.ForReader(Server.Keys.Find(feature)!, feature);

    /// <summary>Every ref of a staging repository with what it points at: unchanged after a refused request.</summary>
    public Task<string> RefsAsync(Guid feature) =>
        Server.Staged(feature).RunAsync(TestContext.Current.CancellationToken, "for-each-ref", "--format=%(refname) %(objectname)");

    /// <summary>The first request of a clone (<c>git-upload-pack</c>) or a push (<c>git-receive-pack</c>).</summary>
    public HttpRequestMessage InfoRefs(Guid feature, string service, string? credential) =>
        Authorized(new HttpRequestMessage(HttpMethod.Get, $"{Url(feature)}/info/refs?service={service}"), credential);

    /// <summary>The POST of a fetch or a push, with <paramref name="body"/> as git's pack protocol.</summary>
    public HttpRequestMessage Pack(Guid feature, string service, byte[] body, string? credential, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue($"application/x-{service}-request");
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return Authorized(new HttpRequestMessage(HttpMethod.Post, $"{Url(feature)}/{service}") { Content = content }, credential);
    }

    /// <summary>A push's command list: one pkt-line per ref update (the first with capabilities), then a flush.</summary>
    public static byte[] Commands(params (string Old, string New, string Ref)[] updates)
    {
        var text = new StringBuilder();
        for (var i = 0; i < updates.Length; i++)
        {
            var line = $"{updates[i].Old} {updates[i].New} {updates[i].Ref}{(i == 0 ? "\0report-status" : "")}\n";
            text.Append($"{line.Length + 4:x4}{line}");
        }

        return Encoding.ASCII.GetBytes(text.Append("0000").ToString());
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string? credential)
    {
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}
