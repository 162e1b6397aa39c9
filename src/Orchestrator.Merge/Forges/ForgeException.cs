namespace Orchestrator.Merge.Forges;

/// <summary>
/// A forge refused, or could not do, what a publisher asked. <see cref="Exception.Message"/> is the reason a user reads
/// on the failed feature: it says what to fix and never contains a credential.
/// </summary>
public sealed class ForgeException : Exception
{
    public ForgeException(string reason)
        : base(reason)
    {
    }

    public ForgeException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
