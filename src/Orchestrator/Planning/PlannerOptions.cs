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
