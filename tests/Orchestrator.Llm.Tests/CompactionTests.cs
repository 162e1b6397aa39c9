using Microsoft.Extensions.AI;
using Orchestrator.Llm.Context;

namespace Orchestrator.Llm.Tests;

/// <summary>The conversation a model is sent when it nears its context window.</summary>
public sealed class CompactionTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    // 1,000 tokens of window: compact above 750, keep about 250 of recent turns.
    private static readonly ContextBudget Budget = new(ContextWindow: 1_000, CompactAt: 0.75, KeepRecent: 0.25);

    [Fact]
    public async Task A_conversation_within_its_window_goes_to_the_model_unchanged()
    {
        var (client, model, summaries) = Rig();
        var history = Opening().Concat(ToolRound(1, 100)).ToList();

        await client.GetResponseAsync(history, cancellationToken: _ct);

        Assert.Equal(history, Assert.Single(model.Requests));
        Assert.Empty(summaries.Requests);
    }

    [Fact]
    public async Task Older_turns_are_replaced_by_the_models_summary_and_the_recent_ones_kept_whole()
    {
        var (client, model, summaries) = Rig();
        var history = Opening().Concat(Enumerable.Range(1, 6).SelectMany(i => ToolRound(i, 800))).ToList(); // ~1,300 tokens

        await client.GetResponseAsync(history, cancellationToken: _ct);

        var sent = Assert.Single(model.Requests);
        Assert.Equal(history[..2], sent.Take(2)); // the system prompt and the task stay
        Assert.StartsWith(CompactedTurns.Header(10, 5), sent[2].Text, StringComparison.Ordinal);
        Assert.EndsWith("summary 1", sent[2].Text, StringComparison.Ordinal);
        Assert.Equal(history[^2..], sent[3..]); // the last call and its result, whole
        Assert.Equal(CompactedTurns.In(history), CompactedTurns.In(sent)); // played devices still count 6 turns
        Assert.True(ContextBudget.Estimate(sent) <= Budget.CompactAtTokens);

        var request = Assert.Single(summaries.Requests);
        Assert.Equal(CompactionModel.SystemPrompt, request[0].Text);
        Assert.Contains("Write the docs.", request[1].Text, StringComparison.Ordinal); // the task, for context
        Assert.Contains("[assistant called workspace_read_file] {\"path\":\"file-5.txt\"}", request[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("file-6.txt", request[1].Text, StringComparison.Ordinal); // kept, not summarised
    }

    [Fact]
    public async Task The_next_round_of_the_tool_loop_reuses_the_summary_and_compacts_again_only_when_it_grows_too_long()
    {
        var (client, model, summaries) = Rig();
        var history = Opening().Concat(Enumerable.Range(1, 6).SelectMany(i => ToolRound(i, 800))).ToList();
        await client.GetResponseAsync(history, cancellationToken: _ct);

        history.AddRange(ToolRound(7, 40)); // the tool loop resends the whole history with the new round at its end
        await client.GetResponseAsync(history, cancellationToken: _ct);
        Assert.Single(summaries.Requests);
        Assert.Equal(model.Requests[0][2], model.Requests[1][2]);

        history.AddRange(Enumerable.Range(8, 3).SelectMany(i => ToolRound(i, 800)));
        await client.GetResponseAsync(history, cancellationToken: _ct);
        Assert.Equal(2, summaries.Requests.Count);
        var third = model.Requests[2];
        Assert.EndsWith("summary 2", third[2].Text, StringComparison.Ordinal);
        Assert.Contains(CompactedTurns.Header(10, 5), summaries.Requests[1][1].Text, StringComparison.Ordinal); // the first summary is folded in
        Assert.Equal(CompactedTurns.In(history), CompactedTurns.In(third));
        Assert.Equal(2, client.Compactions);
    }

    [Fact]
    public async Task A_tool_result_is_never_kept_without_the_call_it_answers()
    {
        var (client, model, _) = Rig();
        // One huge last result: the recent part is that round alone, begun at its call.
        var history = Opening().Concat(ToolRound(1, 800)).Concat(ToolRound(2, 800)).Concat(ToolRound(3, 2_400)).ToList();

        await client.GetResponseAsync(history, cancellationToken: _ct);

        var sent = Assert.Single(model.Requests);
        Assert.Equal(ChatRole.Assistant, sent[3].Role);
        Assert.Equal(history[^2..], sent[3..]);
    }

    [Fact]
    public async Task A_conversation_with_nothing_older_than_its_last_turn_goes_whole()
    {
        var (client, model, summaries) = Rig();
        var history = Opening().Concat(ToolRound(1, 4_000)).ToList();

        await client.GetResponseAsync(history, cancellationToken: _ct);

        Assert.Equal(history, Assert.Single(model.Requests));
        Assert.Empty(summaries.Requests);
    }

    private static (CompactingChatClient Client, FakeModel Model, FakeModel Summaries) Rig()
    {
        var model = new FakeModel("done");
        var summaries = new FakeModel("summary");
        var compaction = new CompactionModel((n, _) => Task.FromResult<IChatClient>(summaries.Numbered(n)), Budget);
        return (new CompactingChatClient(model, Budget, compaction), model, summaries);
    }

    private static IEnumerable<ChatMessage> Opening() =>
        [new(ChatRole.System, "You are a test agent."), new(ChatRole.User, "Write the docs.")];

    // An assistant call of read_file and a result of `size` characters (size / 4 tokens).
    private static IEnumerable<ChatMessage> ToolRound(int i, int size) =>
    [
        new(ChatRole.Assistant, [new FunctionCallContent($"call-{i}", "workspace_read_file", new Dictionary<string, object?> { ["path"] = $"file-{i}.txt" })]),
        new(ChatRole.Tool, [new FunctionResultContent($"call-{i}", new string((char)('a' + i), size))]),
    ];

    /// <summary>Answers every call with its text (numbered when asked) and keeps what it was sent.</summary>
    private sealed class FakeModel(string answer) : IChatClient
    {
        private int _number;

        public List<List<ChatMessage>> Requests { get; } = [];

        public FakeModel Numbered(int number)
        {
            _number = number;
            return this;
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(messages.ToList());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _number > 0 ? $"{answer} {_number}" : answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
            // Disposed after each summary; it keeps answering for the next one.
        }
    }
}
