using System.Text.Json.Nodes;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>
/// Builds Feature JSON the way the API sends it, plus a field the CLI does not know, to prove unknown fields
/// are ignored. Each call returns fresh nodes because a JsonNode can have only one parent.
/// </summary>
internal static class FeatureJson
{
    public const string Id = "1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab";
    public const string Model = "scripted:demo-power (scripted demo model, not an AI)";
    public const string PullRequestUrl = "file:///repos/calc/pulls/1";

    public static JsonObject Feature(string state, params JsonObject[] tasks) => new()
    {
        ["id"] = Id,
        ["state"] = state,
        ["repository"] = "/repos/calc",
        ["baseBranch"] = "main",
        ["request"] = "Add a Power method to Calculator",
        ["model"] = Model,
        ["scripted"] = true,
        ["title"] = tasks.Length == 0 ? null : "Add Calculator.Power",
        ["summary"] = null,
        ["failureReason"] = null,
        ["submittedAt"] = "2025-01-01T12:00:00+00:00",
        ["updatedAt"] = "2025-01-01T12:00:01+00:00",
        ["tasks"] = new JsonArray(tasks),
        ["usage"] = Usage(),
        ["pullRequest"] = null,
        ["verification"] = null,
        ["addedInAFutureVersion"] = new JsonObject { ["anything"] = new JsonArray(1, 2) },
    };

    public static JsonObject Task(string id, string role, string state, int attempts = 0, string? branch = null, string? commit = null, string? summary = null, string? failureReason = null) => new()
    {
        ["id"] = id,
        ["role"] = role,
        ["title"] = $"Do {id}",
        ["state"] = state,
        ["branch"] = branch,
        ["commit"] = commit,
        ["attempts"] = attempts,
        ["dependsOn"] = new JsonArray(),
        ["summary"] = summary,
        ["failureReason"] = failureReason,
        ["usage"] = Usage(),
    };

    public static string Branch(string task) => $"orchestrator/{Id[..8]}/{task}";

    public static JsonObject Completed()
    {
        var feature = Feature(
            "Completed",
            Task("implement-power", "coder", "Completed", 1, Branch("implement-power"), "abcdef1234567", "Added Power"),
            Task("test-power", "tester", "Completed", 1, Branch("test-power"), "1234567abcdef", "Tested Power"));
        feature["pullRequest"] = new JsonObject
        {
            ["number"] = 1,
            ["url"] = PullRequestUrl,
            ["head"] = $"orchestrator/{Id[..8]}",
            ["base"] = "main",
            ["repository"] = "/repos/calc",
            ["forge"] = "local",
        };
        feature["verification"] = new JsonObject { ["passed"] = true, ["command"] = "dotnet test", ["summary"] = "12 passed" };
        return feature;
    }

    public static JsonObject Finished(string state, string reason)
    {
        var feature = Feature(state, Task("implement-power", "coder", "Failed", 2, failureReason: reason));
        feature["failureReason"] = reason;
        return feature;
    }

    private static JsonObject Usage() => new() { ["inputTokens"] = 0, ["outputTokens"] = 0, ["calls"] = 0 };
}
