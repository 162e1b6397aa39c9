using Orchestrator.Http.Repositories;

namespace Orchestrator.Tests.Api;

/// <summary>How a submitted repository is read: the way git would, so that what is checked is what git reaches.</summary>
public sealed class RepositoryAddressTests
{
    [Theory]
    [InlineData("https://github.com/o/r.git", "https", "github.com", null, "/o/r.git")]
    [InlineData("HTTPS://GitHub.com:443/o/r", "https", "github.com", null, "/o/r")]
    [InlineData("http://git.example.com:8080/o/r.git", "http", "git.example.com", 8080, "/o/r.git")]
    [InlineData("ssh://git@github.com/o/r.git", "ssh", "github.com", null, "/o/r.git")]
    [InlineData("ssh://git@ghe.example.com:2222/o/r.git", "ssh", "ghe.example.com", 2222, "/o/r.git")]
    [InlineData("git@github.com:o/r.git", "ssh", "github.com", null, "/o/r.git")]
    [InlineData("github.com:o/r.git", "ssh", "github.com", null, "/o/r.git")]
    public void Reads_remote_urls_and_scp_like_addresses(string value, string scheme, string host, int? port, string path)
    {
        var address = RepositoryAddress.Parse(value);

        Assert.Null(address.Refusal);
        Assert.Equal(new RemoteLocation(scheme, host, port, path), address.Remote);
    }

    [Theory]
    [InlineData("/srv/git/calc.git", "/srv/git/calc.git")]
    [InlineData("file:///srv/git/calc.git", "/srv/git/calc.git")]
    [InlineData("relative/calc", "relative/calc")]
    [InlineData("/srv/odd:name/calc.git", "/srv/odd:name/calc.git")]
    public void Reads_local_paths_and_file_urls(string value, string path)
    {
        var address = RepositoryAddress.Parse(value);

        Assert.Null(address.Refusal);
        Assert.Null(address.Remote);
        Assert.Equal(path, address.LocalPath);
    }

    [Theory]
    [InlineData("https://user:secret-password@github.com/o/r.git", "secret-password")]
    [InlineData("https://ghp_secretToken123@github.com/o/r.git", "ghp_secretToken123")]
    [InlineData("http://x-access-token:ghs_secret456@git.example.com/o/r.git", "ghs_secret456")]
    [InlineData("ssh://git:secret-password@github.com/o/r.git", "secret-password")]
    [InlineData("git+secret@github.com:o/r.git", "git+secret")]
    public void Refuses_credentials_without_repeating_them(string value, string secret)
    {
        var refusal = RepositoryAddress.Parse(value).Refusal;

        Assert.Equal(RepositoryAddress.CredentialsRefusal, refusal);
        Assert.DoesNotContain(secret, refusal);
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned", "transports")]
    [InlineData("fd::17", "transports")]
    [InlineData("--upload-pack=touch /tmp/pwned", "'-'")]
    [InlineData("-u/bin/sh", "'-'")]
    [InlineData("git://github.com/o/r.git", "git://")]
    [InlineData("ftp://example.com/o/r.git", "'ftp://'")]
    [InlineData("https://github.com/o/r.git?token=abc", "query")]
    [InlineData("https://github.com/o/r.git#main", "fragment")]
    [InlineData("https://github.com\\@evil.example/o/r.git", "credentials")]
    [InlineData("https://github.com\\evil.example/o/r.git", "valid URL")]
    [InlineData("https://git%68ub.com/o/r.git", "valid URL")]
    [InlineData("https://github.com/o/r.git\n--upload-pack=x", "control characters")]
    [InlineData("/srv/git/../../etc/repo.git", "'..'")]
    [InlineData("https://github.com/my-org/%2e%2e/other/r.git", "'..'")]
    [InlineData("file://server/share/r.git", "no host")]
    [InlineData("file://localhost/srv/git/r.git", "no host")]
    [InlineData("[::1]:o/r.git", "neither a URL")]
    public void Refuses_what_is_not_a_plain_repository_address(string value, string reason)
    {
        var refusal = RepositoryAddress.Parse(value).Refusal;

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal);
    }
}
