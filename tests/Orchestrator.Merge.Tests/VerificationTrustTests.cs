using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

/// <summary>
/// What the agents merge cannot talk the verification into passing, and nothing the verification command does reaches
/// what is pushed. Some run without the sandbox (<c>Sandbox:Mode=none</c>) on purpose: the copy must hold on its own.
/// </summary>
public sealed class VerificationTrustTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private readonly LocalForge _forge;
    private readonly string _workRoot;

    public VerificationTrustTests()
    {
        _workRoot = _temp.CreateDirectory("merge-work");
        _forge = new LocalForge(_runner, new FakeTimeProvider());
    }

    public void Dispose() => _temp.Dispose();

    private string TaskBranch(string taskId) => $"orchestrator/tasks/{_featureId:N}/{taskId}";

    private FeatureConsolidator Consolidator(bool sandboxed = true) => Consolidators.Create(
        _runner, _forge, new ForgeAccess([]), _workRoot,
        repositoryCommands: sandboxed ? null : new UnsandboxedCommandRunner(_runner, NullLogger<UnsandboxedCommandRunner>.Instance));

    private async Task<(TestRepository Origin, ConsolidateFeature Feature)> FeatureAsync(string baseCommands, Dictionary<string, string> taskFiles)
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner,
            new Dictionary<string, string> { ["README.md"] = "# Greeter\n", [RepositoryCommands.ConfigurationFileName] = baseCommands }, _ct);
        var commit = await origin.CommitAsync("main", TaskBranch("a"), taskFiles, "Task a");
        return (origin, Features.Consolidate(_featureId, origin.Path, [Features.Task("a", AgentRole.Coder, TaskBranch("a"), commit)]));
    }

    [Fact]
    public async Task The_command_comes_from_the_base_branch_not_from_what_the_agents_changed()
    {
        var (origin, feature) = await FeatureAsync("""{ "test": ["sh", "-c", "grep -qx ok result.txt"] }""", new()
        {
            ["result.txt"] = "broken\n",
            [RepositoryCommands.ConfigurationFileName] = """{ "test": ["true"] }""",
        });

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var failed = Assert.IsType<ConsolidationOutcome.Unverified>(outcome).Verification;
        Assert.Equal("sh -c 'grep -qx ok result.txt'", failed.Command);
        Assert.Equal(1, failed.ExitCode);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
    }

    [Fact]
    public async Task An_invalid_configuration_on_the_base_branch_refuses_naming_the_file_not_the_services_folders()
    {
        var (origin, feature) = await FeatureAsync("{ not json", new() { ["a.txt"] = "a\n" });

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(outcome);
        Assert.StartsWith("nothing can verify the feature: the base branch's '.orchestrator.json' is not valid JSON", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_workRoot, refused.Reason, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task What_the_command_does_to_its_repository_never_reaches_the_push(bool sandboxed)
    {
        // A hostile test step: it points git at another remote and a command to run, and commits something unverified.
        var hostile = """
            { "test": ["sh", "-c", "git config remote.origin.url /tmp/elsewhere; git config core.sshCommand 'touch /tmp/pwned'; git -c user.name=x -c user.email=x@x commit -q --allow-empty -m sneaky; echo evil > injected.txt; true"] }
            """;
        var (origin, feature) = await FeatureAsync(hostile, new() { ["a.txt"] = "a\n" });

        var outcome = await Consolidator(sandboxed).ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var opened = Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        var pushed = await origin.HeadOfAsync(feature.FeatureBranch);
        Assert.Equal(opened.Verification.Commit, pushed);
        Assert.Equal("Merge Coder task a: Title of a", await origin.Bare.RunAsync(_ct, "log", "-1", "--format=%s", feature.FeatureBranch));
        Assert.Equal(sandboxed, opened.Verification.Sandboxed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workRoot));
    }
}
