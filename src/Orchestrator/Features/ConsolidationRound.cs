namespace Orchestrator.Features;

/// <summary>
/// One round of consolidation (the first, or the one after a repair task) as the saga watches it: how often it was sent
/// to the merge service, which instance works on it, when that instance was last heard from (kept in the saga's state).
/// </summary>
public sealed class ConsolidationRound
{
    /// <summary>Sends of this round so far, the first included.</summary>
    public int Attempts { get; set; }

    /// <summary>The merge service instance consolidating (<c>merge@&lt;machine&gt;/&lt;pid&gt;</c>); null while the request waits in the queue.</summary>
    public string? Instance { get; set; }

    /// <summary>When the orchestrator last heard from <see cref="Instance"/> (its start or a heartbeat), by its own clock.</summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Why each earlier send of this round was given up, oldest first.</summary>
    public List<string> EarlierFailures { get; set; } = [];

    /// <summary>Why the current send is given up when its instance went silent.</summary>
    public string LostReason => $"lost: no heartbeat from {Instance} since {LastSeen:u}";

    /// <summary>The request is (sent) again: no instance has taken it yet.</summary>
    public void Send()
    {
        Attempts++;
        Instance = null;
        LastSeen = null;
    }

    public void SeenRunning(string instance, DateTimeOffset now)
    {
        Instance = instance;
        LastSeen = now;
    }

    /// <summary>
    /// A loss report counts only if nothing was heard from the consolidation since the monitor looked (a heartbeat that
    /// arrived in between, or a send since, makes it stale).
    /// </summary>
    public bool IsSilentSince(DateTimeOffset lastSeen) => LastSeen is { } seen && seen <= lastSeen;

    public void GiveUpAttempt(string reason) => EarlierFailures.Add($"attempt {Attempts}: {reason}");
}
