using Microsoft.AspNetCore.Http.HttpResults;

namespace Orchestrator.Http;

/// <summary>RFC 7807 problem details with a title and the reason, the API's only shape of error.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    public static ProblemHttpResult FeatureNotFound(Guid id) =>
        Of(StatusCodes.Status404NotFound, "Feature not found", $"There is no feature {id}.");
}
