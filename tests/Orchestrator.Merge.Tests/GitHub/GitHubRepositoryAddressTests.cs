using Orchestrator.Merge.Forges.GitHub;

namespace Orchestrator.Merge.Tests.GitHub;

public sealed class GitHubRepositoryAddressTests
{
    [Theory]
    [InlineData("https://github.com/octocat/Hello-World", "github.com", "octocat", "Hello-World", "https://github.com/")]
    [InlineData("https://github.com/octocat/Hello-World.git", "github.com", "octocat", "Hello-World", "https://github.com/")]
    [InlineData("https://github.com/octocat/Hello-World/", "github.com", "octocat", "Hello-World", "https://github.com/")]
    [InlineData("https://GitHub.com/Octo-Cat/hello.world.git", "github.com", "Octo-Cat", "hello.world", "https://github.com/")]
    [InlineData("https://ghe.example.com:8443/team/service.git", "ghe.example.com", "team", "service", "https://ghe.example.com:8443/")]
    [InlineData("git@github.com:octocat/Hello-World.git", "github.com", "octocat", "Hello-World", null)]
    [InlineData("git@ghe.example.com:team/service", "ghe.example.com", "team", "service", null)]
    [InlineData("ssh://git@github.com/octocat/Hello-World.git", "github.com", "octocat", "Hello-World", null)]
    [InlineData("ssh://git@ghe.example.com:2222/team/service.git", "ghe.example.com", "team", "service", null)]
    public void Reads_host_owner_and_name_from_clone_urls(string url, string host, string owner, string name, string? httpsRoot)
    {
        var address = GitHubRepositoryAddress.Parse(url);

        Assert.Equal((host, owner, name, httpsRoot), (address.Host, address.Owner, address.Name, address.HttpsRoot?.AbsoluteUri));
        Assert.Equal($"{owner}/{name}", address.FullName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://github.com/octocat/Hello-World.git")]
    [InlineData("https://x-access-token:secret@github.com/octocat/Hello-World.git")]
    [InlineData("https://user@github.com/octocat/Hello-World.git")]
    [InlineData("ssh://git:secret@github.com/octocat/Hello-World.git")]
    [InlineData("git://github.com/octocat/Hello-World.git")]
    [InlineData("file:///srv/git/Hello-World.git")]
    [InlineData("/srv/git/Hello-World.git")]
    [InlineData("C:/repos/Hello-World")]
    [InlineData("github.com:octocat/Hello-World.git")]
    [InlineData("https://github.com/octocat")]
    [InlineData("https://github.com/octocat/Hello-World/tree/main")]
    [InlineData("https://github.com/octocat/Hello-World.git?ref=main")]
    [InlineData("https://github.com/octocat/..")]
    [InlineData("https://github.com/-octocat/Hello-World")]
    [InlineData("git@github.com:/octocat/Hello-World.git")]
    [InlineData("https://github.com/octocat/Hello World")]
    public void Refuses_anything_else(string url)
    {
        Assert.False(GitHubRepositoryAddress.TryParse(url, out _));
        var failure = Assert.Throws<FormatException>(() => GitHubRepositoryAddress.Parse(url));
        Assert.Contains("https://host/owner/repo", failure.Message, StringComparison.Ordinal);
    }
}
