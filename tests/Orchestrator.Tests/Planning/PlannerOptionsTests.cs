using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Planning;

namespace Orchestrator.Tests.Planning;

/// <summary>The planner's exploration bounds are configuration, validated when the service starts.</summary>
public sealed class PlannerOptionsTests
{
    private static PlannerOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(
                new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddPlannerOptions();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PlannerOptions>>().Value;
    }

    [Fact]
    public void The_defaults_bound_the_exploration()
    {
        var options = Bind([]);

        Assert.Equal(12, options.MaxToolCalls);
        Assert.Equal(12_000, options.MaxToolOutputChars);
        Assert.EndsWith(Path.Combine("orchestrator", "planner"), options.WorkRoot, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Planner:MaxToolCalls", "-1")]
    [InlineData("Planner:MaxToolCalls", "101")]
    [InlineData("Planner:MaxToolOutputChars", "999")]
    [InlineData("Planner:WorkRoot", "")]
    public void An_out_of_range_bound_is_refused_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }
}
