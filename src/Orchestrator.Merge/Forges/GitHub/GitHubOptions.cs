using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>Configuration section <c>Forge:GitHub</c>. Without a token the GitHub forge stays off.</summary>
public sealed class GitHubOptions : IValidatableObject
{
    public const string Section = "Forge:GitHub";

    public static readonly Uri PublicApiUrl = new("https://api.github.com/");

    private static readonly string[] DefaultCloneHosts = ["github.com"];

    /// <summary>
    /// A personal access token or app installation token with contents and pull requests write access. A secret:
    /// give it to the merge service only (an Aspire secret parameter, user secrets or the environment).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The REST API root; for GitHub Enterprise Server <c>https://ghe.example.com/api/v3/</c>.</summary>
    public string ApiUrl { get; set; } = PublicApiUrl.AbsoluteUri;

    /// <summary>
    /// Hosts of the clone URLs this forge publishes for, each <c>host</c> (its default port) or <c>host:port</c>.
    /// Separate from <see cref="ApiUrl"/> because Enterprise installations and mirrors serve git and the API under
    /// different names. Empty means <c>github.com</c>.
    /// </summary>
    // The configuration binder appends configured array items to an initialised array, so the default is applied on read.
    public string[] CloneHosts { get; set; } = [];

    /// <summary>
    /// A PEM file of the certificate authorities that sign the GitHub (Enterprise) server's certificate, for a server
    /// behind a private CA: trusted by the API client and by git for the clone hosts (<c>http.&lt;host&gt;.sslCAInfo</c>)
    /// besides the system's store. Not a secret.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>Labels added to every pull request (GitHub creates the ones the repository does not have yet).</summary>
    public string[] Labels { get; set; } = [];

    /// <summary>Opens new pull requests as drafts. An existing pull request keeps its draft state.</summary>
    public bool Draft { get; set; }

    /// <summary>Longest total wait, per pull request, for GitHub's rate limits before the feature fails with the reason.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Forge:GitHub:SecondaryRateLimitMaxWait must be between 00:00:00 and 01:00:00.")]
    public TimeSpan SecondaryRateLimitMaxWait { get; set; } = TimeSpan.FromSeconds(60);

    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    public IReadOnlyList<string> EffectiveCloneHosts => CloneHosts.Length > 0 ? CloneHosts : DefaultCloneHosts;

    /// <summary>The clone hosts, parsed; invalid entries are refused at start by validation.</summary>
    public IReadOnlyList<CloneHost> ParsedCloneHosts() => EffectiveCloneHosts.Select(CloneHost.TryParse).OfType<CloneHost>().ToList();

    /// <summary>The API root with the trailing slash Octokit needs to resolve relative paths under it.</summary>
    // A method, not a property: options validation reads every property, and this one throws before ApiUrl is validated.
    public Uri GetApiBaseUri()
    {
        var text = ApiUrl.Trim();
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ApiUrl?.Trim(), UriKind.Absolute, out var api)
            || !(api.Scheme == Uri.UriSchemeHttps || (api.Scheme == Uri.UriSchemeHttp && api.IsLoopback))
            || !string.IsNullOrEmpty(api.UserInfo) || !string.IsNullOrEmpty(api.Query) || !string.IsNullOrEmpty(api.Fragment))
        {
            yield return new ValidationResult(
                $"Forge:GitHub:ApiUrl must be an https URL without credentials, such as {PublicApiUrl} or https://ghe.example.com/api/v3/ " +
                $"(plain http only for localhost); it is '{ApiUrl}'.",
                [nameof(ApiUrl)]);
        }

        for (var i = 0; i < CloneHosts.Length; i++)
        {
            if (CloneHost.TryParse(CloneHosts[i]) is null)
            {
                yield return new ValidationResult(
                    $"Forge:GitHub:CloneHosts:{i} must be a host name such as github.com, or host:port such as ghe.example.com:8443 " +
                    $"(no scheme or path); it is '{CloneHosts[i]}'.",
                    [nameof(CloneHosts)]);
            }
        }

        if (!string.IsNullOrWhiteSpace(CaFile) && GitHubCertificateAuthorities.TryLoad(CaFile, out _) is { } caError)
        {
            yield return new ValidationResult($"Forge:GitHub:CaFile: {caError}", [nameof(CaFile)]);
        }

        for (var i = 0; i < Labels.Length; i++)
        {
            // GitHub's own limit on label names.
            if (string.IsNullOrWhiteSpace(Labels[i]) || Labels[i].Length > 50)
            {
                yield return new ValidationResult(
                    $"Forge:GitHub:Labels:{i} must be a label name of 1 to 50 characters; it is '{Labels[i]}'.", [nameof(Labels)]);
            }
        }

        // Whitespace inside would break the Authorization header; the value itself is never echoed.
        if (HasToken && Token!.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new ValidationResult("Forge:GitHub:Token contains whitespace or control characters.", [nameof(Token)]);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"GitHub {{ ApiUrl = {ApiUrl}, CloneHosts = [{string.Join(", ", EffectiveCloneHosts)}], CaFile = {CaFile ?? "(none)"}, " +
        $"Token = {(HasToken ? "(set)" : "(not set)")}, " +
        $"Labels = [{string.Join(", ", Labels)}], Draft = {Draft}, SecondaryRateLimitMaxWait = {SecondaryRateLimitMaxWait} }}");
}
