using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests.GitHub;

public sealed class GitHubForgeRegistrationTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessRunner>();
        services.AddSingleton<IPullRequestPublisher, LocalForge>();
        services.AddGitHubForge();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Adds_the_GitHub_publisher_after_the_local_forge_and_as_the_git_credentials()
    {
        using var services = Services(new() { ["Forge:GitHub:Token"] = "ghp_test" });

        var publishers = services.GetRequiredService<IEnumerable<IPullRequestPublisher>>().ToList();

        Assert.Equal(["local", "github"], publishers.Select(p => p.Forge));
        Assert.Same(publishers[1], services.GetRequiredService<IForgeCredentials>());
        Assert.True(publishers[1].CanPublishTo("https://github.com/octocat/Hello-World.git"));
    }

    [Fact]
    public void Binds_the_section_and_configured_clone_hosts_replace_the_default()
    {
        using var services = Services(new()
        {
            ["Forge:GitHub:Token"] = "ghp_test",
            ["Forge:GitHub:ApiUrl"] = "https://ghe.example.com/api/v3",
            ["Forge:GitHub:CloneHosts:0"] = "ghe.example.com",
            ["Forge:GitHub:Labels:0"] = "orchestrator",
            ["Forge:GitHub:Draft"] = "true",
            ["Forge:GitHub:SecondaryRateLimitMaxWait"] = "00:00:30",
        });

        var options = services.GetRequiredService<IOptions<GitHubOptions>>().Value;

        Assert.Equal(["ghe.example.com"], options.EffectiveCloneHosts);
        Assert.Equal(new Uri("https://ghe.example.com/api/v3/"), options.GetApiBaseUri());
        Assert.Equal(["orchestrator"], options.Labels);
        Assert.Equal((true, TimeSpan.FromSeconds(30)), (options.Draft, options.SecondaryRateLimitMaxWait));
    }

    [Fact]
    public void Defaults_to_github_com_and_its_public_api_and_stays_off_without_a_token()
    {
        using var services = Services([]);

        var options = services.GetRequiredService<IOptions<GitHubOptions>>().Value;
        var github = services.GetRequiredService<GitHubPublisher>();

        Assert.Equal(["github.com"], options.EffectiveCloneHosts);
        Assert.Equal("https://api.github.com/", options.GetApiBaseUri().AbsoluteUri);
        Assert.Equal(TimeSpan.FromSeconds(60), options.SecondaryRateLimitMaxWait);
        Assert.False(github.CanPublishTo("https://github.com/octocat/Hello-World.git"));
    }

    [Theory]
    [InlineData("Forge:GitHub:ApiUrl", "http://ghe.example.com/api/v3/", "Forge:GitHub:ApiUrl")]
    [InlineData("Forge:GitHub:ApiUrl", "api.github.com", "Forge:GitHub:ApiUrl")]
    [InlineData("Forge:GitHub:CloneHosts:0", "https://github.com/", "Forge:GitHub:CloneHosts:0")]
    [InlineData("Forge:GitHub:Labels:0", " ", "Forge:GitHub:Labels:0")]
    [InlineData("Forge:GitHub:SecondaryRateLimitMaxWait", "02:00:00", "Forge:GitHub:SecondaryRateLimitMaxWait")]
    [InlineData("Forge:GitHub:Token", "ghp_one two", "Forge:GitHub:Token")]
    public void Invalid_settings_stop_the_service_naming_the_key(string key, string value, string named)
    {
        using var services = Services(new() { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GitHubOptions>>().Value);

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("one two", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_itself_without_the_token()
    {
        var options = new GitHubOptions { Token = "ghp_secret_value" };

        Assert.DoesNotContain("ghp_secret_value", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("Token = (set)", options.ToString(), StringComparison.Ordinal);
    }
}
