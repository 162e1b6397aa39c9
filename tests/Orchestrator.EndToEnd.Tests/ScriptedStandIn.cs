using System.Text.Json;
using Orchestrator.Llm;
using Orchestrator.Llm.Context;
using Orchestrator.Llm.Devices;
using Orchestrator.Testing;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Makes the OpenAI-compatible stand-in answer like a model working through a scripted-model script: the planner and
/// each task get their script's turns, over the real wire protocol, so a whole feature runs through Semantic Kernel's
/// OpenAI connector. A request whose feature text contains <see cref="StormMarker"/> gets HTTP 500, always.
/// </summary>
public static class ScriptedStandIn
{
    public const string StormMarker = "[500-storm]";

    /// <summary>Put in a feature's request text, makes the planner play <paramref name="script"/> instead of the first script.</summary>
    public static string Selecting(string script) => $"[script:{script}]";

    /// <summary>
    /// Plays <paramref name="script"/>, or one of <paramref name="others"/>: the planner's when the request names it
    /// (<see cref="Selecting"/>), a task's when the script has that task (task ids are unique across the scripts, but for
    /// the reviews: every script's <c>review-1</c> is the same approval).
    /// </summary>
    public static Func<StandInRequest, StandInReply> Responder(ModelScript script, params ModelScript[] others) => request =>
    {
        if (Mentions(request, StormMarker))
        {
            return StandInReply.ServerError();
        }

        var agent = AgentOf(request);
        var played = others.FirstOrDefault(other => agent == ModelConversation.Planner
            ? Mentions(request, Selecting(other.Name))
            : other.Agents.ContainsKey(agent)) ?? script;
        var turns = played.Agents.TryGetValue(agent, out var found) ? found : [];
        // Turns a compaction summary replaced count, as the scripted model counts them; a compaction request is turn 1 of its own.
        var turn = request.Messages.Sum(m => m.Role == "assistant" ? 1 : m.Role == "user" ? CompactedTurns.ReplacedBy(m.Content) : 0);
        if (turn >= turns.Count)
        {
            return StandInReply.Error(400, $"the stand-in has no turn {turn + 1} for '{agent}'");
        }

        var usage = new StandInUsage(request.Messages.Sum(m => m.Content?.Length ?? 0) / 4 + 1, 25);
        var reply = turns[turn];
        if (reply.ToolCalls.Count == 0)
        {
            return StandInReply.Text(reply.Content ?? string.Empty, usage);
        }

        return StandInReply.Tools(reply.ToolCalls
            .Select(call => new StandInToolCall(OfferedName(request, call.Name), JsonSerializer.Serialize(call.Arguments)))
            .ToArray()) with { Usage = usage };
    };

    private static bool Mentions(StandInRequest request, string text) =>
        request.Messages.Any(m => m.Content?.Contains(text, StringComparison.Ordinal) == true);

    // The planner's system prompt says who it is; a task's prompt names its task: "Your task (<id>): ...".
    private static string AgentOf(StandInRequest request)
    {
        // A compaction request shows the task and the turns to summarise, an earlier summary among them.
        if (request.Messages.FirstOrDefault()?.Content == CompactionModel.SystemPrompt)
        {
            var shown = request.Messages[1].Content ?? string.Empty;
            return $"{TaskOf(shown)}/compaction-{1 + shown.Split("[Context compacted: ").Length - 1}";
        }

        if (request.Messages.FirstOrDefault(m => m.Role == "system")?.Content?.Contains("planning agent", StringComparison.Ordinal) == true)
        {
            return ModelConversation.Planner;
        }

        return TaskOf(request.Messages.FirstOrDefault(m => m.Role == "user")?.Content ?? string.Empty);
    }

    private static string TaskOf(string prompt)
    {
        var start = prompt.IndexOf("Your task (", StringComparison.Ordinal);
        if (start < 0)
        {
            return "unknown";
        }

        start += "Your task (".Length;
        return prompt[start..prompt.IndexOf(')', start)];
    }

    // Scripts name tools plugin_function; connectors may spell the separator differently on the wire.
    private static string OfferedName(StandInRequest request, string scripted) =>
        request.ToolNames.FirstOrDefault(n => n.Replace('-', '_') == scripted) ?? scripted;
}
