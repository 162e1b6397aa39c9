using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// The replay model: plays one agent's recorded responses from a <see cref="Cassette"/>. Call n of a conversation
/// (n - 1 assistant messages already in it, as the scripted model counts) must match the agent's recorded call n of
/// the same run (<see cref="CassetteExchange.Run"/>: the conversation's run, a task's attempt) — see
/// <see cref="CassetteMatcher"/> for what is compared — and gets the recorded response back. A mismatch or a missing
/// recording throws <see cref="CassetteMismatchException"/>. Not a live model; nothing leaves the process.
/// </summary>
public sealed class ReplayChatClient : PlayedChatClient
{
    public const string ProviderName = "replay";

    private readonly Cassette _cassette;
    private readonly string _agent;
    private readonly int _run;
    private readonly IReadOnlyList<CassetteExchange> _exchanges;

    public ReplayChatClient(Cassette cassette, ModelConversation conversation)
    {
        _cassette = cassette;
        _agent = conversation.Agent;
        _run = conversation.Run;
        _exchanges = cassette.ExchangesOf(_agent);
    }

    protected override string Provider => ProviderName;

    public override string ModelId => $"{ProviderName}:{_cassette.Name}";

    protected override ChatResponse Play(IReadOnlyCollection<ChatMessage> conversation, ChatOptions? options, int call)
    {
        var where = $"Replay: cassette '{_cassette.Name}', agent '{_agent}', call {call}" + (_run > 1 ? $" of run {_run}" : "");
        if (_exchanges.Count == 0)
        {
            throw new CassetteMismatchException($"{where}: the cassette has no recorded calls for '{_agent}'.");
        }

        var recorded = _exchanges.FirstOrDefault(e => e.Run == _run && e.Call == call);
        if (recorded is null)
        {
            var inRun = _exchanges.Count(e => e.Run == _run);
            throw new CassetteMismatchException(inRun == 0
                ? $"{where}: the cassette recorded {_exchanges.Max(e => e.Run)} run(s) for '{_agent}', not run {_run}."
                : $"{where}: the cassette recorded only {inRun} call(s) in this run; the replayed conversation asked for more.");
        }

        var actual = CassetteCapture.Request(conversation, options);
        if (CassetteMatcher.FirstDifference(recorded.Request, actual) is { } difference)
        {
            throw new CassetteMismatchException($"{where}: the request differs from the recording: {difference}");
        }

        return ToResponse(recorded.Response, ModelId);
    }

    private static ChatResponse ToResponse(CassetteResponse recorded, string replayModel)
    {
        var message = new ChatMessage(ChatRole.Assistant, []);
        if (recorded.Text is not null)
        {
            message.Contents.Add(new TextContent(recorded.Text));
        }

        foreach (var call in recorded.ToolCalls)
        {
            var arguments = call.Arguments is { ValueKind: JsonValueKind.Object } args
                ? ScriptedChatClient.ToArguments(args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value))
                : null;
            message.Contents.Add(new FunctionCallContent(call.Id, call.Name, arguments));
        }

        return new ChatResponse(message)
        {
            ModelId = recorded.ModelId ?? replayModel,
            FinishReason = recorded.FinishReason is { } reason ? new ChatFinishReason(reason) : null,
            Usage = recorded.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokens, OutputTokenCount = usage.OutputTokens, TotalTokenCount = usage.TotalTokens }
                : null,
        };
    }
}
