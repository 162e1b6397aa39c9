using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Testing;

/// <summary>How the stand-in writes OpenAI's wire format: a completion, a stream of chunks, usage, errors.</summary>
public sealed partial class OpenAiStandIn
{
    private static async Task WriteCompletionAsync(HttpContext http, string id, string model, StandInReply reply, StandInUsage usage)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content };
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCalls.Select((call, i) => (JsonNode)new JsonObject
            {
                ["id"] = call.Id ?? $"call_{id[^4..]}_{i + 1}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            }).ToArray());
        }

        var completion = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = FinishReason(reply),
            }),
            ["usage"] = Usage(usage),
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(completion.ToJsonString(), http.RequestAborted);
    }

    private static async Task WriteStreamAsync(HttpContext http, string id, string model, StandInReply reply, StandInUsage? usage)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        async Task Chunk(JsonObject? delta, string? finishReason, StandInUsage? chunkUsage = null, bool noChoices = false)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = noChoices
                    ? new JsonArray()
                    : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta ?? new JsonObject(), ["finish_reason"] = finishReason }),
            };
            if (chunkUsage is not null)
            {
                chunk["usage"] = Usage(chunkUsage);
            }

            await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            if (reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, http.RequestAborted);
            }
        }

        await Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
        foreach (var piece in Pieces(reply.Content ?? "", 3))
        {
            await Chunk(new JsonObject { ["content"] = piece }, null);
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            await Chunk(ToolDelta(i, new JsonObject
            {
                ["index"] = i,
                ["id"] = call.Id ?? $"call_{id[^4..]}_{i + 1}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
            }), null);
            foreach (var piece in Pieces(call.Arguments, 2))
            {
                await Chunk(ToolDelta(i, new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = piece } }), null);
            }
        }

        await Chunk(new JsonObject(), FinishReason(reply));
        if (usage is not null)
        {
            await Chunk(null, null, usage, noChoices: true);
        }

        await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
    }

    private static JsonObject ToolDelta(int index, JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

    private static IEnumerable<string> Pieces(string text, int count)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)count));
        for (var start = 0; start < text.Length; start += size)
        {
            yield return text.Substring(start, Math.Min(size, text.Length - start));
        }
    }

    private static string FinishReason(StandInReply reply) => reply.FinishReason ?? (reply.ToolCalls.Count > 0 ? "tool_calls" : "stop");

    private static JsonObject Usage(StandInUsage usage) => new()
    {
        ["prompt_tokens"] = usage.PromptTokens,
        ["completion_tokens"] = usage.CompletionTokens,
        ["total_tokens"] = usage.TotalTokens,
    };

    private static StandInUsage Estimate(JsonElement body, StandInReply reply)
    {
        var prompt = body.TryGetProperty("messages", out var messages) ? messages.GetRawText().Length / 4 : 0;
        var completion = ((reply.Content?.Length ?? 0) + reply.ToolCalls.Sum(c => c.Name.Length + c.Arguments.Length)) / 4;
        return new StandInUsage(Math.Max(1, prompt), Math.Max(1, completion));
    }

    private static async Task WriteErrorAsync(HttpContext http, int status, string message, string type, string? code = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        };
        await http.Response.WriteAsync(error.ToJsonString(), http.RequestAborted);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";
}
