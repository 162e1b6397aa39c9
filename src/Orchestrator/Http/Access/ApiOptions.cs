namespace Orchestrator.Http.Access;

/// <summary>
/// Configuration section <c>Api</c>: who may call the HTTP API and how often a caller may submit.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// The accepted bearer keys by name (<c>Api:Keys:&lt;name&gt;=&lt;key&gt;</c>). Several at once let a key be
    /// rotated without downtime: add the new one, move the clients, remove the old one. Only names are ever logged.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public SubmissionLimitOptions SubmissionLimit { get; set; } = new();
}

/// <summary>
/// <c>Api:SubmissionLimit</c>: at most <see cref="Permits"/> submissions per key in each <see cref="Window"/>. Every
/// submission sets agents, models and a test run going, so a runaway script must not queue hundreds of them.
/// </summary>
public sealed class SubmissionLimitOptions
{
    public int Permits { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
