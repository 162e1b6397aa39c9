using Orchestrator.Messaging;

namespace Orchestrator.Merge.Tests.Staging;

public sealed class StagingCredentialsTests
{
    private static readonly string Key = StagingCredentials.NewKey();
    private static readonly Guid FeatureId = Guid.NewGuid();

    [Fact]
    public void A_task_credential_names_its_feature_task_attempt_and_branch()
    {
        var grant = StagingCredentials.Verify(Key, StagingCredentials.ForTask(Key, FeatureId, "implement", 3));

        Assert.Equal(new StagingGrant(FeatureId, "implement", 3), grant);
        Assert.Equal($"orchestrator/tasks/{FeatureId:N}/implement", grant!.Branch);
        Assert.False(grant.IsReader);
        Assert.True(StagingCredentials.Verify(Key, StagingCredentials.ForReader(Key, FeatureId))!.IsReader);
    }

    [Fact]
    public void Changing_any_part_of_a_credential_makes_it_invalid()
    {
        var parts = StagingCredentials.ForTask(Key, FeatureId, "implement", 1).Split('.');
        string[] changed =
        [
            string.Join('.', Guid.NewGuid().ToString("N"), parts[1], parts[2], parts[3]),
            string.Join('.', parts[0], "2", parts[2], parts[3]),
            string.Join('.', parts[0], parts[1], StagingCredentials.ForTask(Key, FeatureId, "document", 1).Split('.')[2], parts[3]),
            string.Join('.', parts[0], parts[1], parts[2], parts[3][..^2] + (parts[3].EndsWith("AA", StringComparison.Ordinal) ? "BA" : "AA")),
            string.Join('.', parts[0], "0", string.Empty, parts[3]),
            string.Join('.', parts) + "\nX-Injected: 1",
        ];

        Assert.All(changed, credential => Assert.Null(StagingCredentials.Verify(Key, credential)));
        Assert.Null(StagingCredentials.Verify(StagingCredentials.NewKey(), string.Join('.', parts)));
    }

    [Fact]
    public void Git_gets_the_credential_as_a_header_for_the_repository_only_and_never_for_a_local_path()
    {
        var credential = StagingCredentials.ForTask(Key, FeatureId, "implement", 1);
        var url = $"http://merge:8080/git/{FeatureId:N}.git";

        var environment = StagingCredentials.GitEnvironment(url, credential)!;

        Assert.Equal("1", environment["GIT_CONFIG_COUNT"]);
        Assert.Equal($"http.{url}.extraheader", environment["GIT_CONFIG_KEY_0"]);
        Assert.Equal($"Authorization: Bearer {credential}", environment["GIT_CONFIG_VALUE_0"]);
        Assert.Null(StagingCredentials.GitEnvironment("/repos/app.git", credential));
        Assert.Null(StagingCredentials.GitEnvironment(url, null));
        Assert.Throws<ArgumentException>(() => StagingCredentials.GitEnvironment(url, credential + "\r\nX-Injected: 1"));
    }
}
