using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Messaging;
using static Orchestrator.Security.Tests.Staging.StagingUnderAttack;

namespace Orchestrator.Security.Tests.Staging;

/// <summary>
/// Requests to the staging git endpoint without a credential, with someone else's, or pushing what a task may not:
/// each is refused with the status given before <c>git http-backend</c> sees it, and no ref of either feature's
/// repository moves.
/// </summary>
public sealed class StagingPayloads(StagingUnderAttack staging) : IClassFixture<StagingUnderAttack>
{
    private const string Upload = "git-upload-pack";
    private const string Receive = "git-receive-pack";

    // A runner snapshot's name (docs/decisions/0012-kubernetes-job-runner.md): 32 lower-case hex digits.
    private const string RunId = "0123456789abcdef0123456789abcdef";

    private static string Own(StagingUnderAttack s) => $"refs/heads/{Branch(s.Feature, "implement")}";

    private static HttpRequestMessage Push(StagingUnderAttack s, params (string Old, string New, string Ref)[] updates) =>
        s.Pack(s.Feature, Receive, Commands(updates), s.Credential(s.Feature));

    /// <summary>Payload name → (the request, the status it gets).</summary>
    private static readonly Dictionary<string, (Func<StagingUnderAttack, HttpRequestMessage> Request, HttpStatusCode Status)> Payloads = new()
    {
        ["clone without a credential"] = (s => s.InfoRefs(s.Feature, Upload, null), HttpStatusCode.Unauthorized),
        ["push without a credential"] = (s => s.InfoRefs(s.Feature, Receive, null), HttpStatusCode.Unauthorized),
        ["fetch a pack without a credential"] = (s => s.Pack(s.Feature, Upload, "0000"u8.ToArray(), null), HttpStatusCode.Unauthorized),
        ["send a pack without a credential"] = (s => s.Pack(s.Feature, Receive, Commands((ZeroId, SomeId, Own(s))), null), HttpStatusCode.Unauthorized),
        ["a forged credential (attempt 2 with attempt 1's MAC)"] = (s => s.InfoRefs(s.Feature, Upload, Forged(s)), HttpStatusCode.Unauthorized),
        ["a credential made under another key"] = (s => s.InfoRefs(s.Feature, Upload, StagingCredentials.ForTask(StagingCredentials.NewKey(), s.Feature, "implement", 1)), HttpStatusCode.Unauthorized),
        ["not a credential"] = (s => s.InfoRefs(s.Feature, Upload, "not-a-credential"), HttpStatusCode.Unauthorized),
        ["the credential in the Basic scheme"] = (s => Basic(s.InfoRefs(s.Feature, Upload, null), s.Credential(s.Feature)), HttpStatusCode.Unauthorized),
        ["another feature's credential clones"] = (s => s.InfoRefs(s.Feature, Upload, s.Credential(s.OtherFeature)), HttpStatusCode.Forbidden),
        ["another feature's credential pushes"] = (s => s.Pack(s.Feature, Receive, Commands((ZeroId, SomeId, $"refs/heads/{Branch(s.OtherFeature, "implement")}")), s.Credential(s.OtherFeature)), HttpStatusCode.Forbidden),
        ["the merge service's reader credential pushes"] = (s => s.InfoRefs(s.Feature, Receive, s.ReaderCredential(s.Feature)), HttpStatusCode.Forbidden),
        ["a superseded attempt clones"] = (s => s.InfoRefs(s.Feature, Upload, s.Credential(s.Feature, SupersededTask, attempt: 1)), HttpStatusCode.Forbidden),
        ["push to main"] = (s => Push(s, (ZeroId, SomeId, "refs/heads/main")), HttpStatusCode.Forbidden),
        ["push to another task's branch"] = (s => Push(s, (ZeroId, SomeId, $"refs/heads/{Branch(s.Feature, "document")}")), HttpStatusCode.Forbidden),
        ["delete the own branch"] = (s => Push(s, (SomeId, ZeroId, Own(s))), HttpStatusCode.Forbidden),
        ["push a tag"] = (s => Push(s, (ZeroId, SomeId, "refs/tags/v1.0")), HttpStatusCode.Forbidden),
        ["push HEAD"] = (s => Push(s, (ZeroId, SomeId, "HEAD")), HttpStatusCode.Forbidden),
        ["push the own branch and main at once"] = (s => Push(s, (ZeroId, SomeId, Own(s)), (ZeroId, SomeId, "refs/heads/main")), HttpStatusCode.Forbidden),
        ["push the own branch in upper case"] = (s => Push(s, (ZeroId, SomeId, Own(s).ToUpperInvariant())), HttpStatusCode.Forbidden),
        ["push the own branch without refs/heads/"] = (s => Push(s, (ZeroId, SomeId, Branch(s.Feature, "implement"))), HttpStatusCode.Forbidden),
        ["push to another task's runner snapshot ref"] = (s => Push(s, (ZeroId, SomeId, $"refs/orchestrator/runs/tasks/document/{RunId}")), HttpStatusCode.Forbidden),
        ["push to the merge service's runner snapshot refs"] = (s => Push(s, (ZeroId, SomeId, $"refs/orchestrator/runs/merge/{RunId}")), HttpStatusCode.Forbidden),
        ["push an own runner snapshot ref that is not 32 hex digits"] = (s => Push(s, (ZeroId, SomeId, "refs/orchestrator/runs/tasks/implement/latest")), HttpStatusCode.Forbidden),
        ["push an own runner snapshot ref in upper case"] = (s => Push(s, (ZeroId, SomeId, $"refs/orchestrator/runs/tasks/implement/{RunId.ToUpperInvariant()}")), HttpStatusCode.Forbidden),
        ["push below an own runner snapshot ref"] = (s => Push(s, (ZeroId, SomeId, $"refs/orchestrator/runs/tasks/implement/{RunId}/x")), HttpStatusCode.Forbidden),
        ["push an own runner snapshot ref and main at once"] = (s => Push(s, (ZeroId, SomeId, $"refs/orchestrator/runs/tasks/implement/{RunId}"), (ZeroId, SomeId, "refs/heads/main")), HttpStatusCode.Forbidden),
        ["a compressed push"] = (s => s.Pack(s.Feature, Receive, Commands((ZeroId, SomeId, Own(s))), s.Credential(s.Feature), "gzip"), HttpStatusCode.UnsupportedMediaType),
        ["garbage instead of a command list"] = (s => s.Pack(s.Feature, Receive, "zzzz not a pkt-line"u8.ToArray(), s.Credential(s.Feature)), HttpStatusCode.BadRequest),
        ["a command list that never ends"] = (s => s.Pack(s.Feature, Receive, EndlessShallowLines(), s.Credential(s.Feature)), HttpStatusCode.BadRequest),
        ["encoded traversal to another feature's repository"] = (s => s.InfoRefs(s.Feature, Upload, s.Credential(s.Feature)).WithUri($"{s.Url(s.Feature)}/..%2F{s.OtherFeature:N}.git/info/refs?service={Upload}"), HttpStatusCode.NotFound),
        ["a path that is not a feature's repository"] = (s => s.InfoRefs(s.Feature, Upload, s.Credential(s.Feature)).WithUri($"{s.Server.BaseUrl.TrimEnd('/')}/git/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), HttpStatusCode.NotFound),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_request_is_refused_and_no_ref_moves(string payload)
    {
        var (request, status) = Payloads[payload];
        var before = (await staging.RefsAsync(staging.Feature), await staging.RefsAsync(staging.OtherFeature));

        using var http = new HttpClient();
        using var response = await http.SendAsync(request(staging), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(before, (await staging.RefsAsync(staging.Feature), await staging.RefsAsync(staging.OtherFeature)));
    }

    [Fact]
    public async Task Control_the_tasks_own_credential_clones_and_pushes_its_own_branch()
    {
        var branch = Branch(staging.Feature, "implement");
        var clone = await staging.Server.CloneAsync(staging.Url(staging.Feature), staging.Credential(staging.Feature), Path.Combine(staging.Temp, $"agent-{Guid.NewGuid():N}"));
        await clone.CreateBranchAsync(branch, TestContext.Current.CancellationToken);
        File.WriteAllText(Path.Combine(clone.WorkingDirectory, "code.txt"), "code\n");
        var commit = await clone.CommitAllAsync("Implement", TestContext.Current.CancellationToken);

        await clone.PushAsync(branch, force: true, TestContext.Current.CancellationToken);

        Assert.Contains($"refs/heads/{branch} {commit}", await staging.RefsAsync(staging.Feature), StringComparison.Ordinal);
    }

    private static string Forged(StagingUnderAttack s)
    {
        var parts = s.Credential(s.Feature, attempt: 1).Split('.');
        return string.Join('.', parts[0], "2", parts[2], parts[3]);
    }

    private static HttpRequestMessage Basic(HttpRequestMessage request, string credential)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"x-access-token:{credential}")));
        return request;
    }

    // More "shallow" lines than the endpoint reads while looking for the commands, and never a flush after them.
    private static byte[] EndlessShallowLines() =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"0035shallow {SomeId}\n", 2_000)));
}

internal static class RequestUris
{
    public static HttpRequestMessage WithUri(this HttpRequestMessage request, string uri)
    {
        request.RequestUri = new Uri(uri);
        return request;
    }
}
