using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Planning;

/// <summary>Configuration section <c>Planner</c>.</summary>
public sealed class PlannerOptions
{
    public const string Section = "Planner";

    /// <summary>
    /// How many plans the model may write for one feature: an invalid one is sent back with what is wrong, until a
    /// valid plan comes or the attempts are used up (then the feature fails with the last problems).
    /// </summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Ask the endpoint for structured output (<c>response_format</c> with the plan's JSON schema). An endpoint that
    /// refuses it with a 400 is asked again without it; turn it off for endpoints that accept it but answer badly.
    /// </summary>
    public bool StructuredOutput { get; set; } = true;

    /// <summary>
    /// Read the feature's base branch before planning (a clone of the prepared work repository: its instruction files
    /// and the read-only tools). Off, the planner plans from the request alone — for systems with no repository to read
    /// (the orchestration benchmark's simulated staging).
    /// </summary>
    public bool ReadRepository { get; set; } = true;

    /// <summary>
    /// Most read-only tool calls (list, read, search) the planner may make on the base branch before it plans; a call
    /// past it is answered with an error telling the model to plan. 0 turns exploration off (the repository's
    /// instruction files are still given).
    /// </summary>
    [Range(0, 100)]
    public int MaxToolCalls { get; set; } = 12;

    /// <summary>Most characters one tool call returns to the planner; longer output is cut with a note.</summary>
    [Range(1_000, 200_000)]
    public int MaxToolOutputChars { get; set; } = 12_000;

    /// <summary>Where the planner's read-only clones of the base branch are made; each is deleted when planning ends.</summary>
    [Required]
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "orchestrator", "planner");
}

public static class PlannerServiceExtensions
{
    public static IServiceCollection AddPlannerOptions(this IServiceCollection services)
    {
        services.AddOptions<PlannerOptions>()
            .BindConfiguration(PlannerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
