using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm;

/// <summary>
/// Checks a tool call's arguments against the tool's JSON schema before it runs, so that a model that sends broken
/// JSON, leaves out a required parameter or sends the wrong type gets told exactly that — and what to send — instead
/// of a generic failure (or, for broken JSON, a misleading "missing argument").
/// </summary>
/// <remarks>
/// Semantic Kernel's function invoker ignores <see cref="FunctionInvokingChatClient.FunctionInvoker"/>, so the check
/// runs as a kernel auto-function-invocation filter (<see cref="ToolCallArgumentsFilter"/>), which every kernel made
/// from the service provider picks up.
/// </remarks>
public static class ToolCallCheck
{
    /// <summary>What is wrong with the call, as a message for the model, or null when it may run.</summary>
    public static string? Problem(AIFunction function, FunctionCallContent call)
    {
        var schema = function.JsonSchema;
        if (call.Exception is { } parse && TakesArguments(schema))
        {
            return $"Error: the arguments of {call.Name} are not valid JSON ({FirstLine(parse)}). " +
                $"Call {call.Name} again with the arguments as one JSON object: {Expected(schema)}.";
        }

        var arguments = call.Arguments ?? new Dictionary<string, object?>();
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var problems = new List<string>();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!arguments.TryGetValue(name, out var value) || value is null || value is JsonElement { ValueKind: JsonValueKind.Null })
                {
                    problems.Add($"the required argument '{name}' is missing");
                }
            }
        }

        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var (name, value) in arguments)
            {
                if (properties.TryGetProperty(name, out var property) && TypeOf(property) is { } expected
                    && KindOf(value) is { } actual && !Fits(expected, actual))
                {
                    problems.Add($"'{name}' must be a {expected}, not a {actual}");
                }
            }
        }

        return problems.Count == 0
            ? null
            : $"Error: {call.Name} was not run: {string.Join("; ", problems)}. Call it again with: {Expected(schema)}.";
    }

    // Some servers send "" as the arguments of a tool without parameters: nothing to get wrong there.
    private static bool TakesArguments(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties)
        && properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().Any();

    private static string FirstLine(Exception exception)
    {
        var root = exception;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        return root.Message.Split('\n')[0].Trim();
    }

    // {"path": string (required), "content": string (required)} — enough for a model to retry correctly.
    private static string Expected(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return "{}";
        }

        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet()
            : [];
        var parts = properties.EnumerateObject()
            .Select(p => $"\"{p.Name}\": {TypeOf(p.Value) ?? "value"}{(required.Contains(p.Name) ? " (required)" : "")}");
        return "{" + string.Join(", ", parts) + "}";
    }

    private static string? TypeOf(JsonElement property) =>
        property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var type)
            ? type.ValueKind switch
            {
                JsonValueKind.String => type.GetString(),
                // ["string", "null"] and the like: the non-null one.
                JsonValueKind.Array => type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t is not null and not "null"),
                _ => null,
            }
            : null;

    private static string? KindOf(object? value) => value switch
    {
        JsonElement element => element.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            _ => null,
        },
        string => "string",
        bool => "boolean",
        int or long or double or float or decimal => "number",
        _ => null,
    };

    private static bool Fits(string expected, string actual) => expected switch
    {
        "integer" or "number" => actual == "number",
        _ => expected == actual,
    };
}

/// <summary>Answers a tool call whose arguments do not fit the tool with <see cref="ToolCallCheck.Problem"/>'s message instead of running it.</summary>
public sealed class ToolCallArgumentsFilter : Microsoft.SemanticKernel.IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(
        Microsoft.SemanticKernel.AutoFunctionInvocationContext context, Func<Microsoft.SemanticKernel.AutoFunctionInvocationContext, Task> next)
    {
        // The invoker's current context holds the call as the model sent it, including a JSON parse failure.
        if (FunctionInvokingChatClient.CurrentContext is { } current && ToolCallCheck.Problem(current.Function, current.CallContent) is { } problem)
        {
            context.Result = new Microsoft.SemanticKernel.FunctionResult(context.Function, problem);
            return;
        }

        await next(context);
    }
}
