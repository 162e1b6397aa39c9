using System.ComponentModel.DataAnnotations;
using Orchestrator.Merge.Forges.GitHub;

namespace Orchestrator.Merge.Tests.GitHub;

/// <summary><c>Forge:GitHub:CloneHosts</c> entries: a host on its default port, or host:port; and the CA file setting.</summary>
public sealed class CloneHostTests
{
    [Theory]
    [InlineData("github.com", "github.com", null)]
    [InlineData(" GHE.Example.com ", "ghe.example.com", null)]
    [InlineData("localhost:8443", "localhost", 8443)]
    [InlineData("10.0.0.7:3000", "10.0.0.7", 3000)]
    [InlineData("[::1]:8443", "::1", 8443)]
    public void Entries_are_a_host_and_maybe_a_port(string entry, string host, int? port) =>
        Assert.Equal(new CloneHost(host, port), CloneHost.TryParse(entry));

    [Theory]
    [InlineData("")]
    [InlineData("https://github.com")]
    [InlineData("github.com/octocat")]
    [InlineData("localhost:0")]
    [InlineData("localhost:70000")]
    [InlineData("localhost:port")]
    [InlineData("bad host")]
    public void Anything_else_is_refused_at_start_naming_the_entry(string entry)
    {
        Assert.Null(CloneHost.TryParse(entry));
        var errors = Validate(new GitHubOptions { CloneHosts = ["github.com", entry] });
        Assert.Contains(errors, e => e.StartsWith("Forge:GitHub:CloneHosts:1 must be a host name such as github.com, or host:port", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://ghe.example.com:8443/team/service.git", true)]
    [InlineData("ssh://git@ghe.example.com:8443/team/service.git", true)]
    [InlineData("https://ghe.example.com/team/service.git", false)]
    [InlineData("https://ghe.example.com:9443/team/service.git", false)]
    public void A_host_with_a_port_matches_clone_urls_on_that_port_only(string url, bool matches)
    {
        var address = GitHubRepositoryAddress.Parse(url);

        Assert.Equal(matches, CloneHost.TryParse("ghe.example.com:8443")!.Matches(address.Host, address.Port));
        Assert.Equal(!matches && address.Port is null, CloneHost.TryParse("ghe.example.com")!.Matches(address.Host, address.Port));
    }

    [Fact]
    public void A_ca_file_that_is_missing_or_not_pem_is_refused_at_start()
    {
        using var temp = new TempDirectory();
        var notPem = temp.WriteFile("ca.pem", "not a certificate");

        Assert.Contains(Validate(new GitHubOptions { CaFile = temp.Combine("missing.pem") }), e => e.StartsWith("Forge:GitHub:CaFile: ", StringComparison.Ordinal));
        Assert.Contains(Validate(new GitHubOptions { CaFile = notPem }), e => e.Contains("holds no certificate", StringComparison.Ordinal)
            || e.Contains("is not a PEM file", StringComparison.Ordinal));
    }

    private static List<string> Validate(GitHubOptions options) =>
        options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();
}
