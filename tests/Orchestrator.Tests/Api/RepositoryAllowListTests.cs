using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Repositories;

namespace Orchestrator.Tests.Api;

public sealed class RepositoryAllowListTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("https://github.com/o/r.git")]
    [InlineData("git@github.com:o/r.git")]
    [InlineData("ssh://git@github.com/o/r.git")]
    public void GitHub_is_allowed_when_nothing_is_configured(string repository) =>
        Assert.Null(AllowList(new RepositoryOptions()).Refusal(repository));

    [Theory]
    [InlineData("https://gitlab.com/o/r.git", "'gitlab.com' over https")]
    [InlineData("https://github.com:8443/o/r.git", "'github.com:8443'")]
    [InlineData("http://169.254.169.254/latest/meta-data", "'169.254.169.254'")]
    public void Other_hosts_are_refused_naming_the_host_and_the_settings(string repository, string named)
    {
        var refusal = AllowList(new RepositoryOptions()).Refusal(repository);

        Assert.NotNull(refusal);
        Assert.Contains(named, refusal);
        Assert.Contains("Repositories:AllowedHosts", refusal);
    }

    [Theory]
    [InlineData("https://ghe.example.com:8443/team/app.git", true)]
    [InlineData("https://ghe.example.com/team/app.git", false)]
    [InlineData("https://git.example.com/team/app.git", true)]
    [InlineData("ssh://git@git.example.com/team/app.git", true)]
    [InlineData("https://github.com/o/r.git", false)]
    public void Configured_hosts_replace_the_default_and_match_host_and_port(string repository, bool allowed)
    {
        var options = new RepositoryOptions { AllowedHosts = ["ghe.example.com:8443", "Git.Example.com"] };

        Assert.Equal(allowed, AllowList(options).Refusal(repository) is null);
    }

    [Theory]
    [InlineData("https://github.com/my-org/app.git", true)]
    [InlineData("https://github.com/my-org", true)]
    [InlineData("https://github.com/my-org-fork/app.git", false)]
    [InlineData("https://github.com/My-Org/app.git", false)]
    [InlineData("https://github.com/other/app.git", false)]
    [InlineData("git@github.com:my-org/app.git", true)]
    [InlineData("http://github.com/my-org/app.git", false)]
    public void Prefixes_narrow_a_host_to_whole_path_segments(string repository, bool allowed)
    {
        var options = new RepositoryOptions { AllowedPrefixes = ["https://github.com/my-org", "git@github.com:my-org/"] };

        Assert.Equal(allowed, AllowList(options).Refusal(repository) is null);
    }

    [Fact]
    public void Local_paths_and_file_urls_need_AllowLocal()
    {
        var repository = _root.CreateDirectory("forge", "calc.git");
        var closed = AllowList(new RepositoryOptions());
        var open = AllowList(new RepositoryOptions { AllowLocal = true });

        Assert.Contains("Repositories:AllowLocal is off", closed.Refusal(repository));
        Assert.Contains("Repositories:AllowLocal is off", closed.Refusal($"file://{repository}"));
        Assert.Null(open.Refusal(repository));
        Assert.Null(open.Refusal($"file://{repository}"));
        Assert.Contains("absolute path", open.Refusal("forge/calc.git"));
    }

    [Theory]
    [InlineData("state", "the feature state folder (ConnectionStrings:state)")]
    [InlineData("staging", "Merge:Staging:Root")]
    [InlineData("merge", "Merge:WorkRoot")]
    [InlineData("agents", "Agents:WorkRoot")]
    [InlineData("planner", "Planner:WorkRoot")]
    [InlineData("cassettes", "Models:CassettesPath")]
    public void The_services_own_folders_are_refused_even_with_AllowLocal(string folder, string named)
    {
        var inside = _root.CreateDirectory(folder, "feature", "repo.git");
        var allowList = AllowList(new RepositoryOptions { AllowLocal = true });

        Assert.Contains(named, allowList.Refusal(inside));
        Assert.Contains(named, allowList.Refusal($"file://{inside}"));
        Assert.Contains(named, allowList.Refusal(_root.Combine(folder)));
        Assert.Null(allowList.Refusal(_root.CreateDirectory(folder + "-not", "repo.git")));
    }

    [Fact]
    public void The_default_temp_work_folders_are_refused_even_unconfigured()
    {
        var allowList = new RepositoryAllowList(Monitor(new RepositoryOptions { AllowLocal = true }), new OrchestratorFolders(new ConfigurationBuilder().Build()));

        Assert.Contains("<temp>/orchestrator", allowList.Refusal(Path.Combine(Path.GetTempPath(), "orchestrator", "staging", "x.git")));
        Assert.Contains("<temp>/orchestrator", allowList.Refusal(Path.Combine(Path.GetTempPath(), "orchestrator", "workspaces", "f", "t")));
    }

    [Fact]
    public void With_the_state_in_postgresql_local_repositories_are_judged_by_the_other_folders()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:state"] = "Host=127.0.0.1;Port=5432;Username=orchestrator;Password=secret;Database=orchestrator",
            ["Agents:WorkRoot"] = _root.Combine("agents"),
        }).Build();
        var allowList = new RepositoryAllowList(Monitor(new RepositoryOptions { AllowLocal = true }), new OrchestratorFolders(configuration));

        Assert.Null(allowList.Refusal(_root.CreateDirectory("forge", "repo.git")));
        Assert.Contains("Agents:WorkRoot", allowList.Refusal(_root.CreateDirectory("agents", "feature", "repo.git")));
    }

    [Fact]
    public void A_symbolic_link_into_a_service_folder_is_followed()
    {
        var staging = _root.CreateDirectory("staging", "feature.git");
        var link = _root.Combine("innocent");
        Directory.CreateSymbolicLink(link, _root.Combine("staging"));

        var refusal = AllowList(new RepositoryOptions { AllowLocal = true }).Refusal(Path.Combine(link, "feature.git"));

        Assert.Contains("Merge:Staging:Root", refusal);
        Assert.True(Directory.Exists(staging));
    }

    private RepositoryAllowList AllowList(RepositoryOptions options) => new(Monitor(options), new OrchestratorFolders(Folders()));

    private IConfiguration Folders() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:state"] = $"Data Source={_root.Combine("state", "orchestrator.db")}",
        ["Merge:Staging:Root"] = _root.Combine("staging"),
        ["Merge:WorkRoot"] = _root.Combine("merge"),
        ["Agents:WorkRoot"] = _root.Combine("agents"),
        ["Planner:WorkRoot"] = _root.Combine("planner"),
        ["Models:CassettesPath"] = _root.Combine("cassettes"),
    }).Build();

    private static IOptionsMonitor<RepositoryOptions> Monitor(RepositoryOptions options) =>
        new StaticOptionsMonitor<RepositoryOptions>(options);
}
