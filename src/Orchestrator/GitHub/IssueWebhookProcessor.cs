using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.Issues;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Http;

namespace Orchestrator.GitHub;

/// <summary>
/// An issue labelled <c>Webhooks:GitHub:Label</c> becomes a feature on the issue's repository and default branch: the
/// request is the issue's title and body (untrusted text, like any request), the pull request says <c>Closes #N</c>,
/// and the issue gets a comment saying which feature works on it — or why none could. It goes through the same checks as
/// <c>POST /features</c>. The feature id comes from the delivery id, so a delivery GitHub sends again is the same feature.
/// </summary>
public sealed partial class IssueWebhookProcessor(
    FeatureSubmission submission,
    IRequestClient<SubmitFeature> submit,
    IPublishEndpoint publish,
    FeatureReader features,
    IOptions<IssueWebhookOptions> options,
    ILogger<IssueWebhookProcessor> logger) : WebhookEventProcessor
{
    protected override async ValueTask ProcessIssuesWebhookAsync(
        WebhookHeaders headers, IssuesEvent issuesEvent, IssuesAction action, CancellationToken cancellationToken = default)
    {
        if (issuesEvent is not IssuesLabeledEvent labeled
            || !string.Equals(labeled.Label?.Name, options.Value.Label, StringComparison.OrdinalIgnoreCase)
            || issuesEvent.Repository is not { CloneUrl: { Length: > 0 } repository } source)
        {
            return;
        }

        var issue = (int)issuesEvent.Issue.Number;
        var featureId = FeatureIdFor(headers.Delivery ?? $"{source.FullName}#{issue}");
        var request = new SubmitFeatureRequest(repository, source.DefaultBranch, $"{issuesEvent.Issue.Title}\n\n{issuesEvent.Issue.Body}".Trim(),
            Script: null, Model: options.Value.Model, Issue: issue);
        var outcome = await submission.PrepareAsync(request, featureId, cancellationToken);
        if (outcome.Command is null)
        {
            var reason = outcome.Errors is { } errors
                ? string.Join(" ", errors.SelectMany(e => e.Value))
                : "a service it needs did not answer; label the issue again to retry.";
            LogRefused(logger, source.FullName, issue, reason);
            await CommentAsync(featureId, repository, issue, $"Orchestrator could not take this issue: {reason}", cancellationToken);
            return;
        }

        await BusRequests.GetResponseAsync<SubmitFeature, FeatureAccepted>(submit, outcome.Command, TimeSpan.FromSeconds(30), cancellationToken);
        LogAccepted(logger, source.FullName, issue, featureId);
        await CommentAsync(featureId, repository, issue,
            $"Orchestrator is working on this as feature `{featureId}` (`orchestrator watch {featureId}`). " +
            $"Its pull request will say `Closes #{issue}`.", cancellationToken);
    }

    private Task CommentAsync(Guid featureId, string repository, int issue, string body, CancellationToken cancellationToken) =>
        publish.Publish(new CommentOnIssue(featureId, repository, issue, body), cancellationToken);

    /// <summary>A version-5 style id (SHA-256 of the delivery): the same delivery always names the same feature.</summary>
    internal static Guid FeatureIdFor(string delivery)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("orchestrator/github-issue/" + delivery));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Issue} of {Repository} labelled: feature {FeatureId} accepted")]
    private static partial void LogAccepted(ILogger logger, string repository, int issue, Guid featureId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Issue} of {Repository} labelled, but refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string repository, int issue, string reason);
}
