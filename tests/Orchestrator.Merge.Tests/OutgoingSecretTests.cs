using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

/// <summary>
/// Before the feature branch is pushed, what would leave — the lines the feature adds, its commit messages, the pull
/// request — is scanned; a hit fails the feature naming where and what kind, never the value, and nothing is pushed.
/// </summary>
public sealed class OutgoingSecretTests : IDisposable
{
    private const string ForgeToken = "forge-token-0f1e2d3c4b5a69788796a5b4";
    private const string GitHubShapedToken = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789";

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private readonly LocalForge _forge;
    private readonly string _workRoot;

    public OutgoingSecretTests()
    {
        _workRoot = _temp.CreateDirectory("merge-work");
        _forge = new LocalForge(_runner, new FakeTimeProvider());
    }

    public void Dispose() => _temp.Dispose();

    private async Task<(TestRepository Origin, ConsolidateFeature Feature)> FeatureAsync(
        Dictionary<string, string> taskFiles, string message = "Task a", string summary = "Summary of a.")
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["README.md"] = "# Greeter\n",
            // A secret already on the base branch is not the feature's doing; only what the feature adds is scanned.
            ["old-config.txt"] = $"token={GitHubShapedToken}\n",
            [RepositoryCommands.ConfigurationFileName] = """{ "test": ["true"] }""",
        }, _ct);
        var branch = $"orchestrator/tasks/{_featureId:N}/a";
        var commit = await origin.CommitAsync("main", branch, taskFiles, message);
        var task = Features.Task("a", AgentRole.Coder, branch, commit) with { Summary = summary };
        return (origin, Features.Consolidate(_featureId, origin.Path, [task]));
    }

    private Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature feature) =>
        Consolidators.Create(_runner, _forge, new ForgeAccess([]), _workRoot, ownSecrets: ForgeToken)
            .ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

    public static TheoryData<string, string, string, string, string> Leaks => new()
    {
        // file content, commit message, agent summary, expected "kind in where"
        { $"var token = \"{GitHubShapedToken}\";\n", "Task a", "Done.", "a GitHub token in src/Config.cs", GitHubShapedToken },
        { "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n", "Task a", "Done.", "a private key in src/Config.cs", "b3BlbnNzaC1rZXk=" },
        { "ok\n", $"Use {ForgeToken} for the API", "Done.", "a secret of this service (Forge:GitHub:Token) in a commit message", ForgeToken },
        { "ok\n", "Task a", $"I found the key AKIAIOSFODNN7EXAMPLE in the environment.", "an AWS access key id in the pull request body", "AKIAIOSFODNN7EXAMPLE" },
    };

    [Theory]
    [MemberData(nameof(Leaks))]
    public async Task A_secret_about_to_leave_fails_the_feature_naming_where_and_what_and_nothing_is_pushed(
        string content, string message, string summary, string expected, string value)
    {
        var (origin, feature) = await FeatureAsync(new() { ["src/Config.cs"] = content }, message, summary);

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(await ConsolidateAsync(feature));

        Assert.Contains(expected, refused.Reason, StringComparison.Ordinal);
        Assert.StartsWith("nothing was pushed", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(value, refused.Reason, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
    }

    [Fact]
    public async Task A_secret_hidden_behind_a_nul_byte_is_still_read()
    {
        var (origin, feature) = await FeatureAsync(new() { ["blob.bin"] = $"\0binary\n{GitHubShapedToken}\n" });

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(await ConsolidateAsync(feature));

        Assert.Contains("a GitHub token in blob.bin", refused.Reason, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
    }

    [Fact]
    public async Task A_feature_that_only_keeps_a_secret_already_on_the_base_is_pushed()
    {
        var (origin, feature) = await FeatureAsync(new() { ["hello.txt"] = "hello\n" });

        Assert.IsType<ConsolidationOutcome.Opened>(await ConsolidateAsync(feature));
        Assert.NotNull(await origin.HeadOfAsync(feature.FeatureBranch));
    }
}
