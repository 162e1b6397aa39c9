using Orchestrator.Messaging;

namespace Orchestrator.Merge.Staging;

/// <summary>What the git endpoint decided about a request's credential.</summary>
public abstract record StagingDecision
{
    public sealed record Granted(StagingGrant Grant) : StagingDecision;

    /// <summary>401 (no or no valid credential) or 403 (a valid one that does not allow this); the reason is safe to show.</summary>
    public sealed record Denied(int StatusCode, string Reason) : StagingDecision;
}

/// <summary>
/// Checks a staging credential (<see cref="StagingCredentials"/>) against the repository a request is for: it must be
/// minted under that feature's key, be a task attempt's to push, and not belong to a superseded attempt. Which refs a
/// push may update is checked on the request body (<see cref="ReceivePackCommands"/>).
/// </summary>
public sealed class StagingAccess(StagingKeys keys)
{
    private const string Scheme = "Bearer ";

    public StagingDecision Authorize(Guid featureId, string? authorization, bool push)
    {
        var credential = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : null;
        if (credential is null)
        {
            return Unauthorized("a staging credential is required");
        }

        // Verified under the key of the feature it names, so another feature's valid credential is told apart (403).
        var claimed = StagingCredentials.Read(credential);
        if (claimed is null || keys.Find(claimed.FeatureId) is not { } key || StagingCredentials.Verify(key, credential) is not { } grant)
        {
            return Unauthorized("the staging credential is not valid");
        }

        if (grant.FeatureId != featureId)
        {
            return Forbidden("the credential is for another feature's staging repository");
        }

        if (push && grant.IsReader)
        {
            return Forbidden("the credential may only read this repository");
        }

        if (grant.TaskId is { } taskId && !keys.IsCurrentAttempt(featureId, taskId, grant.Attempt))
        {
            return Forbidden($"attempt {grant.Attempt} of task '{taskId}' was superseded by a later attempt");
        }

        return new StagingDecision.Granted(grant);
    }

    /// <summary>
    /// A push may only create or move the grant's own task branch (never delete it), and create, move or delete the
    /// grant's own runner snapshot refs (<see cref="StagingGrant.RunRefPrefix"/> and one 32-hex-digit name): no other ref.
    /// </summary>
    public static StagingDecision AuthorizeUpdates(StagingGrant grant, IReadOnlyList<ReceivePackCommands.RefUpdate> updates)
    {
        var own = $"refs/heads/{grant.Branch}";
        foreach (var update in updates)
        {
            if (IsOwnRunRef(grant, update.Ref))
            {
                continue;
            }

            if (!string.Equals(update.Ref, own, StringComparison.Ordinal))
            {
                return Forbidden($"the credential may not update {update.Ref}; it may push only {own}");
            }

            if (update.IsDeletion)
            {
                return Forbidden($"the credential may not delete {own}");
            }
        }

        return new StagingDecision.Granted(grant);
    }

    private static bool IsOwnRunRef(StagingGrant grant, string reference) =>
        grant.RunRefPrefix is { } prefix
        && reference.StartsWith(prefix, StringComparison.Ordinal)
        && reference[prefix.Length..] is { Length: 32 } name
        && name.All(char.IsAsciiHexDigitLower);

    private static StagingDecision.Denied Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    private static StagingDecision.Denied Forbidden(string reason) => new(StatusCodes.Status403Forbidden, reason);
}
