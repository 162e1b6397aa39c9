using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Persistence.Transcripts;

namespace Orchestrator.Consumers;

/// <summary>
/// Keeps each step an agent reports (<see cref="TaskStepRecorded"/>) in the task's transcript, on its own queue
/// (<c>task-transcripts</c>) so a busy saga never delays it. A step delivered again is stored once: its identity is
/// (feature, task, attempt, sequence).
/// </summary>
public sealed partial class TaskTranscriptConsumer(TaskTranscriptStore store, ILogger<TaskTranscriptConsumer> logger) : IConsumer<TaskStepRecorded>
{
    public const string QueueName = "task-transcripts";

    public async Task Consume(ConsumeContext<TaskStepRecorded> context)
    {
        var step = context.Message;
        var stored = await store.AppendAsync(
            new TranscriptEntry(
                step.FeatureId, step.TaskId, step.Attempt, step.Sequence, step.At, step.Kind == TaskStepKind.Model ? "model" : "tool",
                step.Name, step.Summary, step.Result, step.Ok, (long)step.Duration.TotalMilliseconds, step.InputTokens, step.OutputTokens),
            context.CancellationToken);
        if (!stored)
        {
            LogDuplicate(logger, step.FeatureId, step.TaskId, step.Attempt, step.Sequence);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transcript step {Sequence} of feature {FeatureId} task {TaskId} attempt {Attempt} was delivered again; kept once")]
    private static partial void LogDuplicate(ILogger logger, Guid featureId, string taskId, int attempt, int sequence);
}
