using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Access;

namespace Orchestrator.Tests.Api;

public sealed class ApiOptionsValidationTests
{
    private const string GoodKey = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Without_a_key_the_API_refuses_to_start_and_says_how_to_set_one()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve([]));

        Assert.Contains("Api:Keys is empty: the HTTP API does not start without an API key", exception.Message);
        Assert.Contains("Api:Keys:<name>=<key>", exception.Message);
    }

    [Theory]
    [InlineData("ci", "short-key", "Api:Keys:ci is too short")]
    [InlineData("ci", "0123456789abcdef 0123456789abcdef", "Api:Keys:ci has spaces")]
    [InlineData("ci", "", "Api:Keys:ci is empty")]
    [InlineData("no_underscores", GoodKey, "Api:Keys:no_underscores: a key's name")]
    public void A_weak_or_unusable_key_is_named_and_never_shown(string name, string key, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve([new($"Api:Keys:{name}", key)]));

        Assert.Contains(expected, exception.Message);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, exception.Message);
        }
    }

    [Fact]
    public void Two_names_for_one_key_are_refused()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve([new("Api:Keys:ci", GoodKey), new("Api:Keys:laptop", GoodKey)]));

        Assert.Contains("Api:Keys:ci and Api:Keys:laptop hold the same key", exception.Message);
        Assert.DoesNotContain(GoodKey, exception.Message);
    }

    [Theory]
    [InlineData("Api:SubmissionLimit:Permits", "0", "Api:SubmissionLimit:Permits must be between 1 and 10000")]
    [InlineData("Api:SubmissionLimit:Window", "00:00:00", "Api:SubmissionLimit:Window must be between")]
    public void A_submission_limit_out_of_range_is_refused(string setting, string value, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve([new("Api:Keys:ci", GoodKey), new(setting, value)]));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Several_named_keys_and_the_default_limit_are_accepted()
    {
        var options = Resolve([new("Api:Keys:ci", GoodKey), new("Api:Keys:laptop-2", GoodKey + "-2")]);

        Assert.Equal(["ci", "laptop-2"], options.Keys.Keys.Order());
        Assert.Equal(10, options.SubmissionLimit.Permits);
        Assert.Equal(TimeSpan.FromMinutes(1), options.SubmissionLimit.Window);
    }

    [Fact]
    public async Task A_host_without_a_key_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddApiAccess();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Api:Keys is empty", exception.Message);
    }

    private static ApiOptions Resolve(KeyValuePair<string, string?>[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddApiAccess();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ApiOptions>>().Value;
    }
}
