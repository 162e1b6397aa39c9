namespace Orchestrator.Cli.Api;

/// <summary>The API answered with an error status; <see cref="Problem"/> holds what it said.</summary>
internal sealed class ApiProblemException(ProblemDetails problem)
    : OrchestratorApiException(problem.ToOneLine())
{
    public ProblemDetails Problem { get; } = problem;

    /// <summary>Gateway and overload errors happen while the API restarts; watching should wait them out.</summary>
    public bool IsTransient => Problem.Status is 502 or 503 or 504;
}
