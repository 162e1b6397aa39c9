using Orchestrator.Http.Access;

namespace Orchestrator.Tests.Api;

public sealed class ApiKeyRingTests
{
    private static readonly Dictionary<string, string> Keys = new()
    {
        ["ci"] = "0123456789abcdef0123456789abcdef",
        ["laptop"] = "fedcba9876543210fedcba9876543210",
    };

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "ci")]
    [InlineData("fedcba9876543210fedcba9876543210", "laptop")]
    [InlineData("0123456789abcdef0123456789abcdeF", null)]
    [InlineData("0123456789abcdef0123456789abcdef0", null)]
    [InlineData("0123456789abcdef", null)]
    [InlineData("", null)]
    public void Tells_which_named_key_was_presented(string presented, string? name) =>
        Assert.Equal(name, ApiKeyRing.Identify(Keys, presented));

    [Fact]
    public void An_empty_configured_key_matches_nothing() =>
        Assert.Null(ApiKeyRing.Identify(new Dictionary<string, string> { ["broken"] = "" }, ""));
}
