using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Orchestrator.Agents.Transcripts;
using Orchestrator.Llm;
using Orchestrator.Persistence.Transcripts;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's transcript: its model turns and its read-only tool calls, kept like a task's under the task id
/// <see cref="TaskId"/> (attempt 1), so <c>GET /features/{id}/tasks/planner/log</c> shows how it explored the
/// repository. The steps are summarised as an agent's are (<see cref="StepText"/>: credentials scrubbed, hidden
/// characters removed, bounded) and stored when planning ends; a transcript never fails the planning it describes.
/// </summary>
public sealed partial class PlannerTranscript(
    Guid featureId, string model, IReadOnlyCollection<string> secrets, TaskTranscriptStore store, TimeProvider time, ILogger logger)
    : IModelTurnObserver, IAutoFunctionInvocationFilter
{
    /// <summary>The transcript's task id; the plan validator keeps it from being a task's.</summary>
    public const string TaskId = "planner";

    private readonly Lock _gate = new();
    private readonly List<TranscriptEntry> _entries = [];

    public void Observe(ModelTurn turn)
    {
        var usage = turn.Response?.Usage;
        var summary = turn.Response is { } response ? Describe(response) : $"the call failed: {turn.Error?.Message}";
        Add("model", turn.Response?.ModelId ?? model, summary, null, turn.Error is null, turn.Duration, usage?.InputTokenCount, usage?.OutputTokenCount, turn.At);
    }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var at = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var name = $"{context.Function.PluginName}_{context.Function.Name}";
        var arguments = string.Join(", ", context.Arguments?.Select(a => $"{a.Key}: \"{a.Value}\"") ?? []);
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            Add("tool", name, arguments, $"Error: {ex.Message}", false, clock.Elapsed, null, null, at);
            throw;
        }

        var result = context.Result.GetValue<object>()?.ToString() ?? string.Empty;
        Add("tool", name, arguments, result, !result.StartsWith("Error:", StringComparison.Ordinal), clock.Elapsed, null, null, at);
    }

    /// <summary>Stores the steps recorded; a step stored before (planning asked for again) is kept once.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        TranscriptEntry[] entries;
        lock (_gate)
        {
            entries = [.. _entries];
        }

        try
        {
            foreach (var entry in entries)
            {
                await store.AppendAsync(entry, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSaveFailed(logger, ex, featureId);
        }
    }

    private void Add(string kind, string name, string summary, string? result, bool ok, TimeSpan duration, long? input, long? output, DateTimeOffset at)
    {
        lock (_gate)
        {
            _entries.Add(new TranscriptEntry(
                featureId, TaskId, 1, _entries.Count + 1, at, kind, StepText.Summarise(name, secrets, 100), StepText.Summarise(summary, secrets),
                result is null ? null : StepText.Summarise(result, secrets), ok, (long)duration.TotalMilliseconds, input, output));
        }
    }

    private static string Describe(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>()
            .Select(c => $"{c.Name}({string.Join(", ", c.Arguments?.Select(a => $"{a.Key}: \"{a.Value}\"") ?? [])})").ToList();
        var text = response.Text.Trim();
        return calls.Count == 0 ? (text.Length == 0 ? "(an empty answer)" : text) : $"{text} asked for {string.Join(", ", calls)}".Trim();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: could not store the planner's transcript")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, Guid featureId);
}
