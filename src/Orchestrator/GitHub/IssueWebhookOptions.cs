namespace Orchestrator.GitHub;

/// <summary>
/// Configuration section <c>Webhooks:GitHub</c>: GitHub's <c>issues</c> webhook, which turns an issue labelled
/// <see cref="Label"/> into a feature. Off until <see cref="Secret"/> is set: an unsigned webhook is never accepted.
/// </summary>
public sealed class IssueWebhookOptions
{
    public const string Section = "Webhooks:GitHub";

    /// <summary>The webhook's secret, as configured on GitHub. A secret: the AppHost's <c>github-webhook-secret</c> parameter.</summary>
    public string? Secret { get; set; }

    /// <summary>Where GitHub delivers, relative to the API's root.</summary>
    public string Path { get; set; } = "/github/webhooks";

    /// <summary>The label that asks for a feature when it is added to an issue.</summary>
    public string Label { get; set; } = "orchestrator";

    /// <summary>The model for features started from issues (default: the endpoint's model).</summary>
    public string? Model { get; set; }

    /// <summary>A pull request comment starting with this asks the feature for a follow-up (the rest is the request).</summary>
    public string FollowUpCommand { get; set; } = "/orchestrator";

    /// <summary>
    /// Whose follow-up comments count (GitHub's <c>author_association</c>): people who may write to the repository.
    /// Anyone can comment on a public pull request; a follow-up spends the model budget and changes the branch.
    /// </summary>
    public List<string> FollowUpAuthors { get; set; } = ["OWNER", "MEMBER", "COLLABORATOR"];

    public bool Enabled => !string.IsNullOrWhiteSpace(Secret);
}
