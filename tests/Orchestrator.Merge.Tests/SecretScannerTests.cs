using Microsoft.Extensions.Configuration;

namespace Orchestrator.Merge.Tests;

public sealed class SecretScannerTests
{
    private const string OwnToken = "not-a-real-token-0123456789";
    private readonly SecretScanner _scanner = new([new("Forge:GitHub:Token", OwnToken), new("Api:Keys:short", "short"), new("Api:Keys:empty", "")]);

    [Theory]
    [InlineData("token = ghp_0123456789abcdefghijABCDEFGHIJ0123456789", "a GitHub token")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "a GitHub token")]
    [InlineData("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "an OpenAI-style API key")]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "an AWS access key id")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "a private key")]
    [InlineData("const key = \"" + OwnToken + "\";", "a secret of this service (Forge:GitHub:Token)")]
    public void Finds_secret_shapes_and_the_services_own_secrets_naming_the_kind_not_the_value(string text, string kind)
    {
        var finding = Assert.Single(_scanner.Scan("src/Config.cs", text));

        Assert.Equal(new SecretFinding("src/Config.cs", kind), finding);
        Assert.DoesNotContain(text, finding.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static double Power(double x, int n) => Math.Pow(x, n);")]
    [InlineData("The skip list has 42 short entries; see ghp_ docs.")]
    [InlineData("-----BEGIN CERTIFICATE-----")]
    [InlineData("a short word appears: short")]
    public void Leaves_ordinary_text_alone(string text) => Assert.Empty(_scanner.Scan("README.md", text));

    [Fact]
    public void Reads_only_the_added_lines_of_a_diff_and_names_their_file()
    {
        var diff = """
            diff --git a/old.txt b/old.txt
            --- a/old.txt
            +++ b/old.txt
            -token ghp_0123456789abcdefghijABCDEFGHIJ0123456789
            +token removed
            diff --git a/src/App.cs b/src/App.cs
            --- /dev/null
            +++ b/src/App.cs
            +var key = "AKIAIOSFODNN7EXAMPLE";
            """;

        Assert.Equal([new SecretFinding("src/App.cs", "an AWS access key id")], _scanner.ScanDiff(diff));
    }
}

public sealed class ServiceSecretsTests
{
    [Fact]
    public void Finds_the_secrets_in_the_configuration_by_name_and_inside_connection_strings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Forge:GitHub:Token"] = "forge-token-value",
            ["Api:Keys:demo"] = "api-key-value",
            ["OPENAI_API_KEY"] = "model-key-value",
            ["ConnectionStrings:messaging"] = "amqp://orchestrator:broker%2Fpassword@localhost:5672",
            ["ConnectionStrings:postgres"] = "Host=localhost;Username=orchestrator;Password=database-password",
            ["ConnectionStrings:llm"] = "Endpoint=http://localhost:9/v1;Key=llm-key-value;Model=gpt",
            ["Merge:WorkRoot"] = "/var/lib/orchestrator/merge",
            ["Api:KeyFiles:demo"] = "/home/user/.orchestrator/api-key",
            // The working directory, in every service's environment: not a password.
            ["PWD"] = "/srv/orchestrator/merge",
            ["ConnectionStrings:legacy"] = "Server=db;Uid=orchestrator;Pwd=legacy-password",
        }).Build();

        var secrets = ServiceSecrets.In(configuration);

        Assert.Equal(
            [
                new("Api:Keys:demo", "api-key-value"),
                new("ConnectionStrings:legacy (pwd)", "legacy-password"),
                new("ConnectionStrings:llm (key)", "llm-key-value"),
                new("ConnectionStrings:messaging (password)", "broker/password"),
                new("ConnectionStrings:postgres (password)", "database-password"),
                new("Forge:GitHub:Token", "forge-token-value"),
                new("OPENAI_API_KEY", "model-key-value"),
            ],
            secrets.OrderBy(secret => secret.Setting, StringComparer.Ordinal));
    }
}
