using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Features;

/// <summary>Configuration section <c>Features</c>: the supervision limits of every feature.</summary>
public sealed class FeatureWorkflowOptions
{
    public const string Section = "Features";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TaskTimeout { get; set; } = TimeSpan.FromMinutes(20);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PlanningTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConsolidationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Attempts per task (first try included) before the feature fails. Also bounds how often one consolidation is sent
    /// to the merge service when its instance is lost (first send included): one knob for "how often may work be
    /// started again", since a lost consolidation, like a lost task, is work redone from scratch.
    /// </summary>
    [Range(1, 10)]
    public int MaxTaskAttempts { get; set; } = 2;

    /// <summary>Tokens (input plus output) a feature may spend when its request names no budget.</summary>
    [Range(1, long.MaxValue)]
    public long DefaultTokenBudget { get; set; } = 2_000_000;

    /// <summary>
    /// Most tokens a request may ask for with <c>tokenBudget</c>: a caller with an API key must not be able to commit
    /// the model account to an unbounded spend. At least <see cref="DefaultTokenBudget"/>.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxTokenBudget { get; set; } = 10_000_000;

    /// <summary>
    /// Whether a feature whose request does not say (<c>approvePlan</c>) waits after planning until its plan is
    /// approved.
    /// </summary>
    public bool RequirePlanApproval { get; set; }

    /// <summary>How long a feature waits for its plan (or a larger budget) to be approved before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Whether a feature whose token budget runs out waits for a larger budget to be approved (state
    /// <c>AwaitingBudget</c>) instead of failing at once.
    /// </summary>
    public bool ApproveBudgetIncrease { get; set; }

    /// <summary>Rounds of Coder conflict resolution before a conflicting feature fails.</summary>
    [Range(0, 10)]
    public int MaxConflictRounds { get; set; } = 2;

    /// <summary>Rounds of Coder fixes for a failing verification before the feature fails.</summary>
    [Range(0, 10)]
    public int MaxFixRounds { get; set; } = 2;

    /// <summary>
    /// Whether a feature whose request does not say (<c>review</c>) is reviewed by the Reviewer agent once verified,
    /// before its pull request opens (docs/decisions/0015-reviewer.md).
    /// </summary>
    public bool Review { get; set; } = true;

    /// <summary>
    /// Rounds of Coder fixes for a review's must-fix findings; when they are used up the pull request opens with the
    /// findings still open (and says so). 0: a review only annotates the pull request.
    /// </summary>
    [Range(0, 10)]
    public int MaxReviewRounds { get; set; } = 1;

    /// <summary>Follow-ups (reviewers' <c>/orchestrator</c> comments) one feature takes; later ones are refused.</summary>
    [Range(0, 100)]
    public int MaxFollowUps { get; set; } = 5;

    /// <summary>Tokens each follow-up adds to the feature's budget: the first pull request may have spent it all.</summary>
    [Range(0, long.MaxValue)]
    public long FollowUpTokenBudget { get; set; } = 500_000;

    /// <summary>How often the deadline monitor looks for overdue tasks and stages.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan DeadlineScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a running agent task and a running consolidation report that they are alive. Sent to the agents and
    /// the merge service in each assignment, so they need no setting of their own.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Silence after which a running task or consolidation is declared lost: three missed heartbeats, so one late or
    /// lost heartbeat (a busy broker, a garbage collection) is not mistaken for a dead instance.
    /// </summary>
    public TimeSpan LostAfter => HeartbeatInterval * 3;
}
