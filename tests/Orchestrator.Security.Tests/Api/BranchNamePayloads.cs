using System.Net;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// Branch names chosen to be read by git as an option, a revision range, a refspec or a path: as a submission's
/// <c>baseBranch</c> each is refused with 400 on <c>baseBranch</c> (by git's ref-name rules at the API, or by the merge
/// service's real check against a real repository that has <c>main</c>), and git operations refuse the ones git could
/// misread before git runs.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class BranchNamePayloads(ApiUnderAttack api)
{
    /// <summary>Payload name → (the branch, whether git operations must refuse it before running git).</summary>
    private static readonly Dictionary<string, (string Branch, bool RefusedBeforeGit)> Payloads = new()
    {
        ["--upload-pack= option"] = ("--upload-pack=touch /tmp/pwned", true),
        ["-- end of options"] = ("--", true),
        ["NUL byte"] = ("main\0evil", true),
        ["line break"] = ("main\nevil", true),
        ["../ traversal"] = ("../main", true),
        ["refs/heads/ prefix"] = ("refs/heads/main", false),
        ["refspec main:evil"] = ("main:refs/heads/evil", true),
        ["revision range"] = ("main..HEAD", true),
        ["reflog @{-1}"] = ("@{-1}", true),
        ["ancestor main~1"] = ("main~1", true),
        ["glob *"] = ("*", true),
        ["HEAD"] = ("HEAD", false),
        [".lock suffix"] = ("main.lock", true),
        ["absolute /main"] = ("/main", true),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_base_branch_is_refused_by_the_api_and_by_git_operations(string payload)
    {
        var (branch, refusedBeforeGit) = Payloads[payload];
        var features = await api.FeatureCountAsync();
        var body = ApiUnderAttack.Submission(api.Origin);
        body["baseBranch"] = branch;

        var answer = await api.SubmitAsync(body);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.Body);
        Assert.Equal(["baseBranch"], answer.ErrorFields);
        Assert.Equal(features, await api.FeatureCountAsync());
        if (refusedBeforeGit)
        {
            var clone = Path.Combine(api.Root, $"clone-{Guid.NewGuid():N}");
            await Assert.ThrowsAsync<ArgumentException>(() =>
                GitRepository.CloneAsync(Runners.Create(), api.Origin, branch, clone, TestContext.Current.CancellationToken));
            Assert.False(Path.Exists(clone));
        }
    }

    [Fact]
    public async Task Control_the_real_base_branch_is_accepted()
    {
        var body = ApiUnderAttack.Submission(api.Origin);
        body["baseBranch"] = "main";

        var answer = await api.SubmitAsync(body);

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.Body);
    }
}
