using Orchestrator.Bench.Agents;

namespace Orchestrator.Bench.Tests.Agents;

public sealed class AgentBenchOptionsTests
{
    private const string Key = "sk-canary-5f1d2c";

    [Fact]
    public void Without_llm_the_run_is_scripted_with_every_scenario()
    {
        var options = AgentBenchOptions.Parse([]);

        Assert.Null(options.Llm);
        Assert.Null(options.LlmConnectionString(_ => Key));
        Assert.Empty(options.Scenarios);
        Assert.True(options.Build);
        Assert.Equal("scripted", options.ToString());
    }

    [Fact]
    public void A_live_model_takes_its_key_from_the_named_variable_and_never_shows_it()
    {
        var options = AgentBenchOptions.Parse(
            ["--llm", "http://localhost:11434/v1", "--model", "qwen2.5-coder", "--api-key-env", "MY_KEY", "--scenario", "a", "--scenario", "b", "--no-build"]);

        var connection = options.LlmConnectionString(name => name == "MY_KEY" ? Key : null);

        Assert.Equal($"Endpoint=http://localhost:11434/v1;Model=qwen2.5-coder;Key={Key}", connection);
        Assert.Equal(["a", "b"], options.Scenarios);
        Assert.False(options.Build);
        Assert.DoesNotContain(Key, options.ToString());
        Assert.DoesNotContain(Key, $"{options}");
        Assert.Contains("$MY_KEY", options.ToString());
        Assert.Equal("Endpoint=http://localhost:11434/v1;Model=qwen2.5-coder", options.LlmConnectionString(_ => null));
    }

    [Theory]
    [InlineData("--api-key")]
    [InlineData("--key")]
    public void A_key_on_the_command_line_is_refused_without_echoing_it(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => AgentBenchOptions.Parse(["--llm", "http://h/v1", "--model", "m", option, Key]));

        Assert.Contains("--api-key-env", error.Message);
        Assert.DoesNotContain(Key, error.Message);
    }

    [Theory]
    [InlineData(new[] { "--llm", "http://h/v1" }, "--model")]
    [InlineData(new[] { "--llm", "ftp://h/v1", "--model", "m" }, "http(s) URL")]
    [InlineData(new[] { "--llm", "https://user:sk-canary-5f1d2c@h/v1", "--model", "m" }, "without credentials")]
    [InlineData(new[] { "--scenario" }, "needs a value")]
    [InlineData(new[] { "--price-input", "-1" }, "positive number")]
    [InlineData(new[] { "--fast" }, "unknown option '--fast'")]
    public void Bad_options_are_refused_saying_which(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => AgentBenchOptions.Parse(args));

        Assert.Contains(message, error.Message);
        Assert.DoesNotContain(Key, error.Message);
    }

    [Fact]
    public void A_key_a_connection_string_cannot_carry_is_refused_without_showing_it()
    {
        var options = AgentBenchOptions.Parse(["--llm", "https://h/v1", "--model", "m"]);

        var error = Assert.Throws<ArgumentException>(() => options.LlmConnectionString(_ => Key + ";Endpoint=https://evil"));

        Assert.DoesNotContain(Key, error.Message);
        Assert.Contains(AgentBenchOptions.DefaultKeyVariable, error.Message);
    }

    [Fact]
    public void The_bench_prices_tokens_only_when_given_both_prices()
    {
        Assert.Null(AgentBenchOptions.Parse(["--price-input", "0.15"]).CostOf(1_000_000, 1_000_000));
        Assert.Equal("0.75 (priced by the bench)", AgentBenchOptions.Parse(["--price-input", "0.15", "--price-output", "0.6"]).CostOf(1_000_000, 1_000_000));
    }

    [Fact]
    public void The_AppHost_gets_the_key_only_in_the_connection_string_of_its_environment()
    {
        // A variable of this test's own: the environment is the process's, shared with tests running in parallel.
        const string variable = "AGENT_BENCH_OPTIONS_TEST_KEY";
        Environment.SetEnvironmentVariable(variable, Key);
        try
        {
            var options = AgentBenchOptions.Parse(["--llm", "https://h/v1", "--model", "m", "--api-key-env", variable]);
            var connection = options.LlmConnectionString(Environment.GetEnvironmentVariable);

            var start = SystemUnderTest.AppHostStart("/repo", "/state", "amqp://broker/vhost", "/state/api-key", connection, variable);

            Assert.DoesNotContain(start.ArgumentList, argument => argument.Contains(Key, StringComparison.Ordinal));
            Assert.Equal($"Endpoint=https://h/v1;Model=m;Key={Key}", start.Environment["ConnectionStrings__llm"]);
            Assert.False(start.Environment.ContainsKey(variable));
            Assert.Equal("/state/api-key", start.Environment["Api__KeyFiles__bench"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_scripted_run_gives_the_AppHost_no_model()
    {
        var start = SystemUnderTest.AppHostStart("/repo", "/state", "amqp://broker/vhost", "/state/api-key", llm: null, keyVariable: null);

        Assert.False(start.Environment.ContainsKey("ConnectionStrings__llm"));
    }
}
