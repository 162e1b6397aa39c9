using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using Orchestrator.Merge.Staging;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.Staging;

/// <summary>The git endpoint's limits: body size, concurrent requests, and no backend process outliving its request.</summary>
[SupportedOSPlatform("linux")]
public sealed class StagingLimitsTests : IDisposable
{
    private const long BodyCap = 256 * 1024;

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();

    private async Task<(StagingServer Server, string Url)> StartAsync(Action<StagingOptions> configure)
    {
        var server = await StagingServer.StartAsync(_temp, _runner, configure);
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# App\n" }, _ct);
        return (server, await server.PreparedAsync(_featureId, origin.Path));
    }

    [Fact]
    public async Task A_push_larger_than_the_body_cap_is_refused_and_changes_nothing()
    {
        var (server, url) = await StartAsync(o => o.MaxRequestBodyBytes = BodyCap);
        await using var _ = server;
        var branch = $"orchestrator/tasks/{_featureId:N}/implement";
        var clone = await server.CloneAsync(url, server.Credential(_featureId, "implement"), _temp.Combine("agent"));
        await clone.CreateBranchAsync(branch, _ct);

        // Random bytes do not compress: git streams this pack (over 1 MiB, so without a Content-Length) past the cap.
        File.WriteAllBytes(Path.Combine(clone.WorkingDirectory, "big.bin"), RandomBytes(2 * 1024 * 1024));
        await clone.CommitAllAsync("Too big", _ct);
        await Assert.ThrowsAsync<GitCommandException>(() => clone.PushAsync(branch, force: true, _ct));

        using var http = new HttpClient();
        using var declared = new HttpRequestMessage(HttpMethod.Post, $"{url}/git-upload-pack") { Content = new ByteArrayContent(RandomBytes((int)BodyCap + 1)) };
        declared.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Credential(_featureId, "implement"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(declared, _ct)).StatusCode);
        Assert.Null(await server.Staged(_featureId).TryResolveAsync($"refs/heads/{branch}", _ct));
        await Eventually.TrueAsync(() => server.BackendProcesses().Count == 0, "no git http-backend left running");
    }

    [Fact]
    public async Task A_push_whose_client_goes_away_gets_the_backends_whole_process_tree_killed()
    {
        var (server, url) = await StartAsync(_ => { });
        await using var _ = server;
        var branch = $"orchestrator/tasks/{_featureId:N}/implement";
        var clone = await server.CloneAsync(url, server.Credential(_featureId, "implement"), _temp.Combine("agent"));
        await clone.CreateBranchAsync(branch, _ct);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "code.txt"), "code\n");
        await clone.CommitAllAsync("Implement", _ct);

        // The server-side hook (receive-pack's child) outlives any test unless it is killed with the request's tree.
        var pidFile = _temp.Combine("hook.pid");
        var hook = Path.Combine(server.Options.RepositoryPath(_featureId), "hooks", "pre-receive");
        File.WriteAllText(hook, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 600\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var disconnect = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var push = clone.PushAsync(branch, force: true, disconnect.Token);
        var hookPid = int.Parse(await Eventually.ValueAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } pid ? pid : null,
            "the pre-receive hook to be running"));
        await disconnect.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push).WaitAsync(Eventually.DefaultTimeout, _ct);
        await Eventually.TrueAsync(() => !IsRunning(hookPid), "the hook's process to be killed with its request");
        await Eventually.TrueAsync(() => server.BackendProcesses().Count == 0, "git http-backend to be gone with its request");
        Assert.Null(await server.Staged(_featureId).TryResolveAsync($"refs/heads/{branch}", _ct));
    }

    [Fact]
    public async Task The_backend_process_is_gone_when_its_client_goes_away_mid_request()
    {
        var (server, url) = await StartAsync(_ => { });
        await using var _ = server;
        using var client = new HttpClient();
        using var disconnect = CancellationTokenSource.CreateLinkedTokenSource(_ct);

        var stalled = SendStalledAsync(client, server, url, disconnect.Token);
        await Eventually.TrueAsync(() => server.BackendProcesses().Count == 1, "git http-backend to be serving the stalled request");
        await disconnect.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled);
        await Eventually.TrueAsync(() => server.BackendProcesses().Count == 0, "git http-backend to be gone with its request");
    }

    [Fact]
    public async Task Requests_beyond_the_concurrency_cap_and_its_queue_are_refused_503()
    {
        var (server, url) = await StartAsync(o => (o.MaxConcurrentRequests, o.MaxQueuedRequests) = (1, 0));
        await using var _ = server;
        using var client = new HttpClient();
        using var disconnect = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var stalled = SendStalledAsync(client, server, url, disconnect.Token);
        await Eventually.TrueAsync(() => server.BackendProcesses().Count == 1, "git http-backend to be serving the stalled request");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Credential(_featureId, "implement"));
        var refused = await client.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        await disconnect.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stalled);
    }

    // A fetch whose body promises more than it sends: http-backend waits for the rest until the client goes away.
    private static async Task SendStalledAsync(HttpClient client, StagingServer server, string url, CancellationToken disconnect)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/git-upload-pack") { Content = new StalledContent(4096) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Credential(FeatureOf(url), "implement"));
        await client.SendAsync(request, disconnect);
    }

    // A killed process nobody has reaped yet is a zombie: it runs no more.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Guid FeatureOf(string url) => Guid.ParseExact(Path.GetFileNameWithoutExtension(new Uri(url).AbsolutePath), "N");

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _temp.Dispose();

    private sealed class StalledContent(long declaredLength) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("0032want "u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = declaredLength;
            return true;
        }
    }
}
