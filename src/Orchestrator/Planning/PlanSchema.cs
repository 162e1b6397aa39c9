using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Orchestrator.Planning;

/// <summary>
/// The plan's JSON schema for structured output. Strict-mode shape (every property required, no extra ones), and no
/// keywords that OpenAI-compatible servers' grammar engines commonly lack; <see cref="PlanValidator"/> checks the rest.
/// </summary>
public static class PlanSchema
{
    public const string Name = "feature_plan";

    public static JsonElement Schema { get; } = JsonDocument.Parse(
        """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["title", "summary", "interface", "tasks"],
          "properties": {
            "title": { "type": "string", "description": "The pull request title, at most 200 characters." },
            "summary": { "type": "string", "description": "What the feature changes, for the pull request body." },
            "interface": { "type": "string", "description": "The exact public signatures (namespaces, types, parameters, return types, errors) the coder implements and the tester tests." },
            "tasks": {
              "type": "array",
              "description": "1 to 12 tasks; at least one coder task.",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "role", "title", "instructions", "dependsOn", "files"],
                "properties": {
                  "id": { "type": "string", "description": "1-40 lower-case letters, digits or dashes; unique in the plan." },
                  "role": { "type": "string", "description": "One of the roles the planner is told about." },
                  "title": { "type": "string" },
                  "instructions": { "type": "string" },
                  "dependsOn": { "type": "array", "items": { "type": "string" }, "description": "Ids of tasks that must finish first." },
                  "files": { "type": "array", "items": { "type": "string" }, "description": "The files the task should touch: paths relative to the repository root, forward slashes, no '..'." }
                }
              }
            }
          }
        }
        """).RootElement.Clone();
}

/// <summary>
/// Semantic Kernel's OpenAI settings asking for a plan that matches <see cref="PlanSchema"/>. Through the chat-client
/// path Semantic Kernel passes a schema on, but names it "json_schema" and drops strictness; this sets both.
/// </summary>
public sealed class PlanExecutionSettings : OpenAIPromptExecutionSettings
{
    public PlanExecutionSettings()
    {
        ResponseFormat = PlanSchema.Schema;
    }

    protected override void PrepareChatOptionsForRequest(ChatOptions options)
    {
        base.PrepareChatOptionsForRequest(options);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(PlanSchema.Schema, PlanSchema.Name, "The task graph of one feature.");
        // Microsoft.Extensions.AI's OpenAI client reads "strict" to send json_schema.strict = true.
        (options.AdditionalProperties ??= [])["strict"] = true;
    }
}
