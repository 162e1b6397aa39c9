using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Merge;

/// <summary>
/// Configuration section <c>Orchestrator</c>: where people reach the orchestrator's API, so the pull request can link
/// to what it serves (each task's transcript). Unset by default; the pull request then says how to read them with the CLI.
/// </summary>
public sealed class PublicLinkOptions : IValidatableObject
{
    public const string Section = "Orchestrator";

    /// <summary>The API's public base address, e.g. <c>https://orchestrator.example.com</c>; null for none.</summary>
    public Uri? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo)))
        {
            yield return new ValidationResult(
                $"{Section}:PublicUrl must be an absolute http(s) address without credentials, e.g. https://orchestrator.example.com.",
                [nameof(PublicUrl)]);
        }
    }
}
