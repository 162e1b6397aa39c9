using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// A delivery of GitHub's <c>issues</c> webhook as GitHub sends it: the event's JSON (action <c>labeled</c>, with the
/// issue, the label, the repository and the sender: the fields Octokit.Webhooks reads), the <c>X-GitHub-*</c> headers
/// and <c>X-Hub-Signature-256</c>, the HMAC-SHA256 of the exact body with the webhook secret.
/// </summary>
public sealed record IssueWebhookDelivery(string Owner, string Name, string CloneUrl, int Issue, string Label)
{
    public string Delivery { get; init; } = Guid.NewGuid().ToString();

    public string Title { get; init; } = "Add a Power(base, exponent) method to the calculator";

    public string Body { get; init; } = "With tests and a README section.";

    /// <summary>The request to POST, signed with <paramref name="secret"/> (none: no signature header).</summary>
    public HttpRequestMessage ToRequest(string path, string? secret) => ToRequest(path, "issues", Delivery, Payload(), secret);

    /// <summary>A delivery of <paramref name="gitHubEvent"/> as GitHub posts it: the headers, and the signature of the exact body.</summary>
    public static HttpRequestMessage ToRequest(string path, string gitHubEvent, string delivery, string payload, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-GitHub-Hook-ID", "1");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/test");
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", Sign(payload, secret));
        }

        return request;
    }

    public static string Sign(string payload, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    private string Payload()
    {
        var site = new Uri(CloneUrl).GetLeftPart(UriPartial.Authority);
        var api = $"{site}/api/v3/repos/{Owner}/{Name}";
        var issue = $"{api}/issues/{Issue}";
        var user = new { login = "octocat", id = 1, node_id = "U_1", type = "User", avatar_url = $"{site}/avatars/octocat", url = $"{site}/api/v3/users/octocat" };
        var label = new { id = 1, node_id = "L_1", url = $"{api}/labels/{Label}", name = Label, color = "ededed", @default = false };
        return JsonSerializer.Serialize(new
        {
            action = "labeled",
            issue = new
            {
                id = 1000 + Issue,
                node_id = "I_1",
                number = Issue,
                title = Title,
                body = Body,
                state = "open",
                url = issue,
                repository_url = api,
                labels_url = $"{issue}/labels{{/name}}",
                comments_url = $"{issue}/comments",
                events_url = $"{issue}/events",
                html_url = $"{site}/{Owner}/{Name}/issues/{Issue}",
                user,
                assignees = Array.Empty<object>(),
                labels = new[] { label },
                created_at = DateTimeOffset.UtcNow,
                updated_at = DateTimeOffset.UtcNow,
            },
            label,
            repository = new
            {
                id = 42,
                node_id = "R_42",
                name = Name,
                full_name = $"{Owner}/{Name}",
                @private = true,
                owner = user with { },
                html_url = $"{site}/{Owner}/{Name}",
                url = api,
                clone_url = CloneUrl,
                default_branch = "main",
            },
            sender = user,
        });
    }
}
