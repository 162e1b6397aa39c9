using System.Text.Json.Nodes;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>One canned HTTP answer of the stub API.</summary>
internal sealed record StubResponse(int Status, string Body, string ContentType = "application/json", string? Location = null)
{
    public static StubResponse Json(JsonNode body, int status = 200, string? location = null) =>
        new(status, body.ToJsonString(), "application/json", location);

    public static StubResponse Problem(int status, string title, string? detail, JsonObject? errors = null)
    {
        var problem = new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors is not null)
        {
            problem["errors"] = errors;
        }

        return new(status, problem.ToJsonString(), "application/problem+json");
    }
}
