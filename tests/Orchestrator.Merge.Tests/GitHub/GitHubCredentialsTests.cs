using System.Text;
using Orchestrator.Merge.Forges.GitHub;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;
using WireMock.Server;

namespace Orchestrator.Merge.Tests.GitHub;

public sealed class GitHubCredentialsTests : IDisposable
{
    private readonly string _token = "ghp_" + Guid.NewGuid().ToString("N");
    private readonly TempDirectory _temp = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ProcessRunner _runner;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public GitHubCredentialsTests() => _runner = new ProcessRunner(_logs.CreateLogger<ProcessRunner>());

    public void Dispose() => _temp.Dispose();

    private string Basic => Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{_token}"));

    [Fact]
    public void Sets_one_extra_header_for_the_clone_host_through_git_config_environment_variables()
    {
        var environment = GitHubCredentials.GitEnvironment(new Uri("https://github.com/octocat/Hello-World.git"), _token);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["GIT_CONFIG_COUNT"] = "1",
                ["GIT_CONFIG_KEY_0"] = "http.https://github.com/.extraheader",
                ["GIT_CONFIG_VALUE_0"] = $"AUTHORIZATION: basic {Basic}",
            },
            environment);
    }

    [Fact]
    public void Keeps_a_non_default_port_in_the_scope()
    {
        var environment = GitHubCredentials.GitEnvironment(new Uri("https://ghe.example.com:8443/team/service.git"), _token);

        Assert.Equal("http.https://ghe.example.com:8443/.extraheader", environment["GIT_CONFIG_KEY_0"]);
    }

    [Theory]
    [InlineData("ghp_abc\r\nX-Evil: 1")]
    [InlineData("ghp abc")]
    public void Refuses_a_token_that_would_break_the_header(string badToken)
    {
        Assert.Throws<ArgumentException>(() => GitHubCredentials.GitEnvironment(new Uri("https://github.com/"), badToken));
    }

    [Fact]
    public async Task Git_applies_the_header_to_urls_on_the_clone_host_only()
    {
        var environment = GitHubCredentials.GitEnvironment(new Uri("https://github.com/"), _token);
        var git = new GitRepository(_runner, _temp.CreateDirectory("any"), environment);

        var onHost = await git.TryRunAsync(_ct, "config", "--get-urlmatch", "http.extraheader", "https://github.com/octocat/Hello-World.git");
        var otherHost = await git.TryRunAsync(_ct, "config", "--get-urlmatch", "http.extraheader", "https://gitlab.com/octocat/Hello-World.git");
        var plainHttp = await git.TryRunAsync(_ct, "config", "--get-urlmatch", "http.extraheader", "http://github.com/octocat/Hello-World.git");

        Assert.Equal((0, $"AUTHORIZATION: basic {Basic}"), (onHost.ExitCode, onHost.Output));
        Assert.Equal((1, ""), (otherHost.ExitCode, otherHost.Output));
        Assert.Equal((1, ""), (plainHttp.ExitCode, plainHttp.Output));
    }

    [Fact]
    public async Task Git_sends_the_token_as_basic_authentication_to_the_host_and_to_no_other()
    {
        using var server = WireMockServer.Start();
        var root = new Uri(server.Url!);
        var environment = GitHubCredentials.GitEnvironment(root, _token);
        var git = new GitRepository(_runner, _temp.CreateDirectory("any"), environment);

        var scoped = await git.TryRunAsync(_ct, "ls-remote", $"http://localhost:{root.Port}/octocat/Hello-World.git");
        var elsewhere = await git.TryRunAsync(_ct, "ls-remote", $"http://127.0.0.1:{root.Port}/octocat/Hello-World.git");

        Assert.False(scoped.Succeeded);
        Assert.False(elsewhere.Succeeded);
        var requests = server.LogEntries.Select(e => e.RequestMessage).ToList();
        string? Authorization(string host) => requests
            .Where(r => r.Host == host)
            .Select(r => r.Headers?.FirstOrDefault(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault())
            .FirstOrDefault();
        Assert.Equal($"basic {Basic}", Authorization("localhost"));
        Assert.Contains(requests, r => r.Host == "127.0.0.1");
        Assert.Null(Authorization("127.0.0.1"));
        Assert.DoesNotContain(_token, scoped.Output + elsewhere.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Basic, scoped.Output + elsewhere.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cloning_fetching_and_pushing_with_the_credentials_leave_no_token_in_the_config_the_arguments_or_the_logs()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string> { ["README.md"] = "# Hello\n" }, _ct);
        var environment = GitHubCredentials.GitEnvironment(new Uri("https://github.com/"), _token);

        var clone = await GitRepository.CloneAsync(_runner, origin.Path, "main", _temp.Combine("work"), environment, _ct);
        await clone.ConfigureIdentityAsync("Test", "test@example.invalid", _ct);
        await clone.CreateBranchAsync("orchestrator/feature", _ct);
        await File.WriteAllTextAsync(Path.Combine(clone.WorkingDirectory, "greeting.txt"), "hello\n", _ct);
        await clone.CommitAllAsync("Add a greeting", _ct);
        await clone.FetchAsync("main", _ct);
        await clone.PushAsync("orchestrator/feature", force: true, _ct);

        // The environment reached every call: git sees the header from inside the clone too.
        var seen = await clone.RunAsync(_ct, "config", "--get-urlmatch", "http.extraheader", "https://github.com/octocat/Hello-World.git");
        Assert.Equal($"AUTHORIZATION: basic {Basic}", seen);

        var configs = new[] { Path.Combine(clone.WorkingDirectory, ".git", "config"), Path.Combine(origin.Path, "config") };
        foreach (var config in configs)
        {
            var text = await File.ReadAllTextAsync(config, _ct);
            Assert.DoesNotContain(_token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Basic, text, StringComparison.Ordinal);
            Assert.DoesNotContain("extraheader", text, StringComparison.OrdinalIgnoreCase);
        }

        // The runner logs every command line it starts (at Debug): none carries the credential.
        Assert.Contains(_logs.Lines, l => l.Contains("git", StringComparison.Ordinal) && l.Contains("push", StringComparison.Ordinal));
        Assert.DoesNotContain(_token, _logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Basic, _logs.All, StringComparison.Ordinal);
    }
}
