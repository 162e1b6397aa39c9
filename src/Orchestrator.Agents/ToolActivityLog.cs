using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchestrator.Agents.Transcripts;

namespace Orchestrator.Agents;

/// <summary>What an agent's tools did during one task attempt: logged as it happens, and counted for the summary.</summary>
public sealed partial class ToolActivityLog(ILogger logger, string taskId)
{
    private readonly ConcurrentQueue<string> _calls = new();

    public IReadOnlyCollection<string> Calls => _calls;

    /// <summary>The attempt's transcript, which records every model turn and tool call with its timing; none in tool tests.</summary>
    public TaskTranscript? Transcript { get; init; }

    public string Record(string tool, string target, string output)
    {
        var failed = output.StartsWith("Error:", StringComparison.Ordinal);
        _calls.Enqueue($"{tool} {target}".Trim());
        LogToolCall(logger, taskId, tool, target, failed ? "error" : "ok");
        return output;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: tool {Tool} {Target} -> {Outcome}")]
    private static partial void LogToolCall(ILogger logger, string taskId, string tool, string target, string outcome);
}
