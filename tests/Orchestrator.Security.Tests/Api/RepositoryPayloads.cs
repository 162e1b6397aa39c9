using System.Net;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// Repositories a caller with a valid key could submit to make the services run git against something of the
/// attacker's choosing. Each is refused with 400 on <c>repository</c> before the merge service is asked to look at
/// it, the answer never quotes a credential, and no feature is created.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class RepositoryPayloads(ApiUnderAttack api)
{
    private const string Password = "hunter2";

    /// <summary>Payload name → the repository as submitted (the fixture's folders filled in).</summary>
    private static readonly Dictionary<string, Func<ApiUnderAttack, string>> Payloads = new()
    {
        ["ext:: remote helper running a shell"] = _ => "ext::sh -c touch% /tmp/pwned",
        ["fd:: remote helper"] = _ => "fd::3",
        ["--upload-pack= option"] = _ => "--upload-pack=touch /tmp/pwned",
        ["--config= option"] = _ => "--config=core.sshCommand=touch /tmp/pwned",
        ["ssh host that is an option"] = _ => "git@-oProxyCommand=touch /tmp/pwned:o/calc.git",
        ["file:// to another feature's staging repository"] = a => new Uri(a.OtherFeatureStaging).AbsoluteUri,
        ["path to another feature's staging repository"] = a => a.OtherFeatureStaging,
        ["file:// to the staging root"] = a => new Uri(a.StagingRoot).AbsoluteUri,
        ["link to another feature's staging repository"] = a => a.LinkToStaging,
        ["file:// to the merge work root"] = a => new Uri(Path.Combine(a.MergeWorkRoot, "feature")).AbsoluteUri,
        ["path in the agents' work root"] = a => Path.Combine(a.AgentsWorkRoot, "feature", "task"),
        ["path in the state folder"] = a => a.StateRepository,
        ["path in the cassettes folder"] = a => a.CassettesRepository,
        ["path with .. into the staging root"] = a => Path.Combine(a.Root, "merge-work", "..", "staging", $"{a.OtherFeature:N}.git"),
        ["file:// with a host"] = _ => "file://server/share/calc.git",
        ["UNC path"] = _ => @"\\server\share\calc.git",
        ["Windows path"] = _ => @"C:\repos\calc.git",
        ["relative path"] = _ => "origin.git",
        ["user and password in the URL"] = _ => $"https://user:{Password}@github.com/o/calc.git",
        ["token as the URL's user"] = _ => "https://ghp_0123456789abcdefghijklmnopqrstuvwxyz@github.com/o/calc.git",
        ["password in an ssh URL"] = _ => $"ssh://git:{Password}@github.com/o/calc.git",
        ["allowed host as userinfo before link-local"] = _ => "https://github.com@169.254.169.254/latest/meta-data",
        ["link-local metadata address"] = _ => "http://169.254.169.254/latest/meta-data/",
        ["link-local as IPv6-mapped"] = _ => "http://[::ffff:169.254.169.254]/calc.git",
        ["link-local as a decimal number"] = _ => "http://2852039166/calc.git",
        ["management port on the allowed host"] = _ => "https://github.com:8443/o/calc.git",
        ["broker management port on loopback"] = _ => "http://localhost:15672/api/queues",
        ["lookalike host"] = _ => "https://github.com.evil.example/o/calc.git",
        ["unauthenticated git://"] = _ => "git://github.com/o/calc.git",
        ["query string"] = _ => "https://github.com/o/calc.git?upload-pack=touch",
        [".. in a URL path"] = _ => "https://github.com/o/../../calc.git",
        ["line break and an option"] = _ => "https://github.com/o/calc.git\n--upload-pack=touch",
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_repository_is_refused_before_anything_reads_it(string payload)
    {
        var features = await api.FeatureCountAsync();
        var checks = api.RepositoryChecks;

        var answer = await api.SubmitAsync(ApiUnderAttack.Submission(Payloads[payload](api)));

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.Body);
        Assert.Equal(["repository"], answer.ErrorFields);
        Assert.DoesNotContain(Password, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", answer.Body, StringComparison.Ordinal);
        Assert.Equal(checks, api.RepositoryChecks);
        Assert.Equal(features, await api.FeatureCountAsync());
    }

    [Fact]
    public async Task Control_the_real_repository_next_to_them_is_accepted()
    {
        var answer = await api.SubmitAsync(ApiUnderAttack.Submission(api.Origin));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.Body);
    }
}
