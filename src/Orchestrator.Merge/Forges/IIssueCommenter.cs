namespace Orchestrator.Merge.Forges;

/// <summary>A forge that has issues to comment on.</summary>
public interface IIssueCommenter
{
    bool CanCommentOn(string repository);

    /// <summary>
    /// Comments <paramref name="body"/> on the issue unless a comment there already contains <paramref name="marker"/>;
    /// false when it was there already. Throws <see cref="ForgeException"/> with the reason when the forge refuses.
    /// </summary>
    Task<bool> CommentOnceAsync(string repository, int issue, string marker, string body, CancellationToken cancellationToken);
}
