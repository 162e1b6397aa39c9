using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Merge.Tests;

public sealed class PublicLinkOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("https://orchestrator.example.com", true)]
    [InlineData("http://localhost:5080/", true)]
    [InlineData("ftp://orchestrator.example.com", false)]
    [InlineData("https://user:token@orchestrator.example.com", false)]
    [InlineData("orchestrator/relative", false)]
    public void Orchestrator_PublicUrl_must_be_an_absolute_http_address_without_credentials(string? url, bool valid)
    {
        var options = new PublicLinkOptions { PublicUrl = url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute) };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.All(results, r => Assert.Contains("Orchestrator:PublicUrl", r.ErrorMessage, StringComparison.Ordinal));
    }
}
