using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Orchestrator.Contracts;
using Orchestrator.Llm;

namespace Orchestrator.Agents.Transcripts;

/// <summary>
/// The transcript of one task attempt: every model turn (<see cref="IModelTurnObserver"/>, from the chat client) and
/// every tool call (<see cref="IAutoFunctionInvocationFilter"/>, from Semantic Kernel's tool loop) becomes a
/// <see cref="TaskStepRecorded"/>, numbered in the order the steps ended. They are published in the background, straight
/// to the bus like the heartbeats (the consume context's outbox would hold them until the task ended); a publish that
/// fails is logged and dropped, since a transcript must never fail the work it describes. Disposing waits a bounded
/// time for the steps still queued, so they leave before the task's outcome does.
/// </summary>
public sealed partial class TaskTranscript : IModelTurnObserver, IAutoFunctionInvocationFilter, IAsyncDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    private readonly IBus _bus;
    private readonly TaskAssignment _task;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string[] _secrets;
    private readonly Channel<TaskStepRecorded> _pending = Channel.CreateUnbounded<TaskStepRecorded>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;
    private int _sequence;

    public TaskTranscript(IBus bus, TaskAssignment task, TimeProvider time, ILogger logger)
    {
        _bus = bus;
        _task = task;
        _time = time;
        _logger = logger;
        _secrets = task.StagingCredential is { } credential ? [credential] : [];
        _publishing = Task.Run(PublishAsync);
    }

    public void Observe(ModelTurn turn)
    {
        var usage = turn.Response?.Usage;
        var summary = turn.Response is { } response ? DescribeAnswer(response) : $"the call failed: {turn.Error?.Message}";
        Record(TaskStepKind.Model, turn.Response?.ModelId ?? _task.Model.Description, summary, result: null, turn.Error is null,
            turn.Duration, usage?.InputTokenCount, usage?.OutputTokenCount, turn.At);
    }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var at = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var arguments = DescribeArguments(context.Arguments);
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            Record(TaskStepKind.Tool, ToolName(context.Function), arguments, $"Error: {ex.Message}", ok: false, clock.Elapsed, null, null, at);
            throw;
        }

        var result = context.Result.GetValue<object>()?.ToString() ?? string.Empty;
        // The workspace tools answer a failure as text the model can act on, starting "Error:".
        var ok = !result.StartsWith("Error:", StringComparison.Ordinal);
        Record(TaskStepKind.Tool, ToolName(context.Function), arguments, result, ok, clock.Elapsed, null, null, at);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        try
        {
            await _publishing.WaitAsync(FlushTimeout);
        }
        catch (TimeoutException)
        {
            // The pump stops at its next step; the token source is left to the collector, as the pump may still read it.
            LogFlushTimedOut(_logger, _task.TaskId, _pending.Reader.Count);
            await _stop.CancelAsync();
            return;
        }

        _stop.Dispose();
    }

    private void Record(
        TaskStepKind kind, string name, string summary, string? result, bool ok, TimeSpan duration, long? input, long? output, DateTimeOffset at)
    {
        var step = new TaskStepRecorded(
            _task.FeatureId, _task.TaskId, _task.Attempt, Interlocked.Increment(ref _sequence), kind, StepText.Summarise(name, _secrets, 100),
            StepText.Summarise(summary, _secrets), result is null ? null : StepText.Summarise(result, _secrets), ok, duration, input, output, at);
        _pending.Writer.TryWrite(step);
    }

    private async Task PublishAsync()
    {
        await foreach (var step in _pending.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await _bus.Publish(step, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPublishFailed(_logger, ex, _task.TaskId, step.Sequence);
            }
        }
    }

    // What the model said, and which tools it asked for with what.
    private string DescribeAnswer(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>()
            .Select(c => $"{c.Name}({DescribeArguments(c.Arguments)})").ToList();
        var text = response.Text.Trim();
        return (text.Length, calls.Count) switch
        {
            (0, 0) => "(an empty answer)",
            (_, 0) => text,
            (0, _) => $"asked for {string.Join(", ", calls)}",
            _ => $"{text} — asked for {string.Join(", ", calls)}",
        };
    }

    private string DescribeArguments(IEnumerable<KeyValuePair<string, object?>>? arguments) =>
        arguments is null ? string.Empty : string.Join(", ", arguments.Select(a => $"{a.Key}: {DescribeValue(a.Value)}"));

    // A long value (a whole file's content) is shown by its length, so the summary has room for every argument.
    private string DescribeValue(object? value)
    {
        // Scrubbed before it is cut: a secret cut in half would no longer be recognised.
        var text = StepText.Scrub(value?.ToString() ?? "null", _secrets);
        return text.Length <= 60 ? $"\"{text}\"" : $"<{text.Length} characters: \"{text[..40]}…\">";
    }

    private static string ToolName(KernelFunction function) =>
        string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}_{function.Name}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: could not publish transcript step {Sequence}; it is left out of the transcript")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string taskId, int sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: {Count} transcript steps were still unpublished when the attempt ended; they are left out")]
    private static partial void LogFlushTimedOut(ILogger logger, string taskId, int count);
}
