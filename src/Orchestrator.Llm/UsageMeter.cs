using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Orchestrator.Contracts;

namespace Orchestrator.Llm;

/// <summary>
/// Adds up the token usage of every model call made through one <see cref="UsageRecordingChatClient"/>, and stops
/// the calls at <see cref="MaxCalls"/> so a model that never finishes cannot run on.
/// </summary>
/// <param name="scope">What the call limit is for, as its failure names it ("task attempt", "plan").</param>
public sealed class UsageMeter(int maxCalls = int.MaxValue, long? tokenBudget = null, string scope = "task attempt")
{
    public int MaxCalls { get; } = maxCalls;

    /// <summary>Most tokens (input plus output) the calls through this meter may spend; null for no limit.</summary>
    public long? TokenBudget { get; } = tokenBudget;

    private long _input;
    private long _output;
    private int _calls;

    public TokenUsage Total => new(Interlocked.Read(ref _input), Interlocked.Read(ref _output), Volatile.Read(ref _calls));

    /// <summary>Throws <see cref="ModelCallLimitException"/> when the calls made have reached the limit.</summary>
    public void BeginCall()
    {
        if (Volatile.Read(ref _calls) >= MaxCalls)
        {
            throw new ModelCallLimitException($"the model made {MaxCalls} calls without finishing (the limit per {scope})");
        }

        if (TokenBudget is { } budget && Total.TotalTokens >= budget)
        {
            throw new TokenBudgetExceededException(
                $"budget exceeded: the task spent {Total.TotalTokens} of its {budget} tokens before finishing");
        }
    }

    /// <summary>Counts one completed call and its usage.</summary>
    public void Record(UsageDetails? usage)
    {
        Interlocked.Increment(ref _calls);
        if (usage is null)
        {
            return;
        }

        Interlocked.Add(ref _input, usage.InputTokenCount ?? 0);
        Interlocked.Add(ref _output, usage.OutputTokenCount ?? 0);
    }
}

/// <summary>
/// Records each model call's usage into a <see cref="UsageMeter"/> (and, when given, the <c>orchestrator.tokens</c>
/// counter under <paramref name="model"/>); sits innermost, so every call counts.
/// </summary>
public sealed class UsageRecordingChatClient(IChatClient inner, UsageMeter meter, ModelTokenMetrics? metrics = null, string model = "unknown")
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        meter.BeginCall();
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Record(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        meter.BeginCall();
        UsageDetails? usage = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            // Streamed usage comes as UsageContent, usually in the last update (stream_options.include_usage).
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage ??= new UsageDetails();
                usage.Add(content.Details);
            }

            yield return update;
        }

        Record(usage);
    }

    private void Record(UsageDetails? usage)
    {
        meter.Record(usage);
        metrics?.Record(model, usage);
    }
}

/// <summary>A task attempt spent its token budget; another attempt would not have more.</summary>
public sealed class TokenBudgetExceededException(string message) : Exception(message);

/// <summary>A task attempt used up its model calls.</summary>
public sealed class ModelCallLimitException(string message) : Exception(message);
