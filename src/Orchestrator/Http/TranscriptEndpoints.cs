using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Features;
using Orchestrator.Http.Access;
using Orchestrator.Persistence.Transcripts;
using Orchestrator.Planning;
using Orchestrator.StateMachines;

namespace Orchestrator.Http;

/// <summary>What <c>GET /features/{id}/tasks/{taskId}/log</c> returns: the task's steps, attempt by attempt.</summary>
public sealed record TaskLogView(Guid FeatureId, string TaskId, IReadOnlyList<TaskLogEntry> Entries);

/// <summary>One step of a task attempt: a model turn (<c>model</c>) or a tool call (<c>tool</c>), summarised.</summary>
public sealed record TaskLogEntry(
    int Attempt,
    int Sequence,
    DateTimeOffset At,
    string Kind,
    string Name,
    string Summary,
    string? Result,
    bool Ok,
    long DurationMs,
    long? InputTokens,
    long? OutputTokens)
{
    public static TaskLogEntry From(TranscriptEntry entry) => new(
        entry.Attempt, entry.Sequence, entry.At, entry.Kind, entry.Name, entry.Summary, entry.Result, entry.Ok, entry.DurationMs,
        entry.InputTokens, entry.OutputTokens);
}

/// <summary>
/// The task transcripts: what each agent did, step by step, stored by <c>TaskTranscriptConsumer</c>; and the planner's
/// (its exploration of the repository and its answers) under the task id <c>planner</c>.
/// </summary>
public static class TranscriptEndpoints
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static IEndpointRouteBuilder MapTranscriptEndpoints(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/features/{id:guid}/tasks/{taskId}").WithTags("Transcripts").RequireAuthorization(ApiAccess.KeyPolicy);
        tasks.MapGet("/log", GetAsync)
            .WithSummary("A task's transcript")
            .WithDescription("Every model turn and tool call of every attempt of the task, in order: what the model said or asked for, " +
                             "each tool's arguments and result (summarised, credentials removed), durations and tokens.")
            .Produces<TaskLogView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapGet("/log/events", Follow)
            .WithSummary("Follow a task's transcript live")
            .WithDescription("Server-sent events: an 'entry' event per step, the stored ones first, until the task has ended.")
            .Produces<TaskLogEntry>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<TaskLogView>, ProblemHttpResult>> GetAsync(
        Guid id, string taskId, FeatureReader features, TaskTranscriptStore transcripts, CancellationToken cancellationToken)
    {
        if (await UnknownAsync(id, taskId, features, cancellationToken) is { } problem)
        {
            return problem;
        }

        var entries = await transcripts.ReadAsync(id, taskId, cancellationToken);
        return TypedResults.Ok(new TaskLogView(id, taskId, entries.Select(TaskLogEntry.From).ToList()));
    }

    private static async Task<IResult> Follow(
        Guid id, string taskId, FeatureReader features, TaskTranscriptStore transcripts, TimeProvider time, CancellationToken cancellationToken) =>
        await UnknownAsync(id, taskId, features, cancellationToken) is { } problem
            ? problem
            : TypedResults.ServerSentEvents(Entries(id, taskId, features, transcripts, time, cancellationToken), eventType: "entry");

    private static async IAsyncEnumerable<TaskLogEntry> Entries(
        Guid id, string taskId, FeatureReader features, TaskTranscriptStore transcripts, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sent = new HashSet<(int Attempt, int Sequence)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            // Whether the task had ended is read before its steps: the last read after the end then has every step stored by then.
            var ended = HasEnded(await features.FindAsync(id, cancellationToken), taskId);
            foreach (var entry in await transcripts.ReadAsync(id, taskId, cancellationToken))
            {
                if (sent.Add((entry.Attempt, entry.Sequence)))
                {
                    yield return TaskLogEntry.From(entry);
                }
            }

            if (ended)
            {
                yield break;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    // A task has ended when it will get no more attempts: it is done or failed, or its feature has ended. The planner's
    // transcript is complete once planning is over (it is stored when the planner answers).
    private static bool HasEnded(FeatureState? feature, string taskId) =>
        feature is null
        || FeatureStateMachine.FinalStates.Contains(feature.CurrentState)
        || (taskId == PlannerTranscript.TaskId
            ? feature.CurrentState != nameof(FeatureStateMachine.Planning)
            : feature.Tasks.FirstOrDefault(t => t.TaskId == taskId) is not { IsOpen: true });

    private static async Task<ProblemHttpResult?> UnknownAsync(Guid id, string taskId, FeatureReader features, CancellationToken cancellationToken)
    {
        var feature = await features.FindAsync(id, cancellationToken);
        if (feature is null)
        {
            return Problems.FeatureNotFound(id);
        }

        return taskId == PlannerTranscript.TaskId || feature.Tasks.Any(t => t.TaskId == taskId)
            ? null
            : Problems.Of(StatusCodes.Status404NotFound, "Task not found", $"Feature {id} has no task '{taskId}'.");
    }
}
