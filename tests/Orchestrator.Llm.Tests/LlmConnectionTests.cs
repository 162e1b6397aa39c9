using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orchestrator.Llm.Tests;

public sealed class LlmConnectionTests
{
    private const string Key = "sk-proj-SECRET0123456789";

    [Fact]
    public void An_OpenAI_connection_string_is_parsed_and_prints_without_its_key()
    {
        var connection = LlmConnection.Parse($"Endpoint=https://api.openai.com/v1;Key={Key};Model=gpt-4o-mini;Provider=openai");

        Assert.Equal(LlmProvider.OpenAI, connection.Provider);
        Assert.Equal(new Uri("https://api.openai.com/v1"), connection.Endpoint);
        Assert.Equal("gpt-4o-mini", connection.Model);
        Assert.True(connection.HasKey);
        Assert.Equal("Endpoint=https://api.openai.com/v1;Key=***;Provider=openai;Model=gpt-4o-mini", connection.ToString());
        Assert.Equal("openai:gpt-4o-mini", connection.Describe(null));
        Assert.Equal("openai:o3", connection.Describe("o3"));
        Assert.Equal(new Uri("https://api.openai.com/v1/"), connection.ClientEndpointFor(null));
    }

    [Theory]
    [InlineData("Endpoint=http://localhost:11434/v1;Model=llama3.1")]
    [InlineData("endpoint=http://localhost:8000/v1; model=Qwen/Qwen2.5-Coder-7B-Instruct; provider=OpenAI")]
    public void A_local_server_needs_no_key_and_no_provider(string text)
    {
        var connection = LlmConnection.Parse(text);

        Assert.Equal(LlmProvider.OpenAI, connection.Provider);
        Assert.False(connection.HasKey);
        Assert.Contains("Key=(none)", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_Azure_connection_string_takes_a_deployment_and_defaults_the_api_version()
    {
        var connection = LlmConnection.Parse($"Endpoint=https://contoso.openai.azure.com/;Key={Key};Deployment=gpt-4o;Provider=azure-openai");

        Assert.Equal(LlmProvider.AzureOpenAI, connection.Provider);
        Assert.Equal("gpt-4o", connection.Deployment);
        Assert.Equal(LlmConnection.DefaultAzureApiVersion, connection.ApiVersion);
        Assert.Equal("azure-openai:gpt-4o", connection.Describe(null));
        Assert.Equal(new Uri("https://contoso.openai.azure.com/openai/deployments/gpt-4o/"), connection.ClientEndpointFor(null));
        Assert.Equal(new Uri("https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini/"), connection.ClientEndpointFor("gpt-4o-mini"));
        Assert.DoesNotContain(Key, connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_Azure_host_implies_the_provider_and_an_api_version_can_be_given()
    {
        var connection = LlmConnection.Parse($"Endpoint=https://contoso.openai.azure.com;Key={Key};Deployment=d;ApiVersion=2025-01-01-preview");

        Assert.Equal(LlmProvider.AzureOpenAI, connection.Provider);
        Assert.Equal("2025-01-01-preview", connection.ApiVersion);
    }

    [Theory]
    [InlineData($"Key={Key};Model=m", "has no Endpoint")]
    [InlineData($"Endpoint=api.openai.com;Key={Key};Model=m", "Endpoint that is not an absolute http(s) URL")]
    [InlineData($"Endpoint=ftp://host/v1;Key={Key};Model=m", "Endpoint that is not an absolute http(s) URL")]
    [InlineData($"Endpoint=https://user:{Key}@host/v1;Model=m", "user info, a query or a fragment")]
    [InlineData($"Endpoint=https://api.openai.com/v1;Key={Key}", "has no Model")]
    [InlineData($"Endpoint=https://api.openai.com/v1;Key={Key};Model=m;Provider=anthropic", "Provider 'anthropic'")]
    [InlineData($"Endpoint=https://api.openai.com/v1;Key={Key};Model=m;Secret={Key}", "unknown part(s) 'secret'")]
    [InlineData($"Endpoint=https://x.openai.azure.com;Key={Key};Provider=azure-openai", "no Deployment")]
    [InlineData("Endpoint=https://x.openai.azure.com;Deployment=d;Provider=azure-openai", "no Key")]
    [InlineData($"Endpoint=https://api.openai.com/v1;Key={Key};Model=m;Deployment=d", "for Provider=azure-openai only")]
    [InlineData($"Endpoint=https://api.openai.com/v1;Key=\"{Key};Model=m", "not a list of Name=value pairs")]
    [InlineData($"{Key}", "not a list of Name=value pairs")]
    public void An_invalid_connection_string_names_the_wrong_part_and_never_the_key(string text, string expected)
    {
        var error = Assert.Throws<LlmConnectionException>(() => LlmConnection.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ConnectionStrings:llm", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_connection_string_fails_the_options_validation_at_start_without_the_key()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:llm"] = $"Endpoint=https://api.openai.com/v1;Key={Key}",
            }).Build())
            .AddLogging()
            .AddOrchestratorModels()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModelOptions>>().Value);

        Assert.Contains("has no Model", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Models:MaxRetries", "11")]
    [InlineData("Models:RequestTimeout", "00:00:00.100")]
    public void Out_of_range_retry_settings_fail_the_options_validation(string key, string value)
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build())
            .AddLogging()
            .AddOrchestratorModels()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModelOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }
}
