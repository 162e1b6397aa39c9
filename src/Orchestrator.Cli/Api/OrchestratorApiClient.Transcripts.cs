using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Orchestrator.Cli.Api;

/// <summary>The task transcripts: a task's log, and its live stream of server-sent events.</summary>
internal sealed partial class OrchestratorApiClient
{
    public async Task<IReadOnlyList<TaskLogEntry>> GetTaskLogAsync(string featureId, string taskId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, TaskLogPath(featureId, taskId)), cancellationToken);
        var log = await ReadAsync<TaskLog>(response, cancellationToken);
        return [.. log.Entries.Select(e => e with { TaskId = taskId })];
    }

    /// <summary>The task's steps, the stored ones first, then each as it happens, until the task has ended.</summary>
    public async IAsyncEnumerable<TaskLogEntry> FollowTaskLogAsync(
        string featureId, string taskId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, $"{TaskLogPath(featureId, taskId)}/events"),
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? eventType = null;
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new ApiUnreachableException(BaseAddress, Text.OneLine(e.Message), e);
            }

            // A blank line ends an event (and the end of the stream ends the last one).
            if (string.IsNullOrEmpty(line))
            {
                if (eventType is null or "entry" && data.Count > 0)
                {
                    yield return ParseEntry(string.Join('\n', data), taskId);
                }

                (eventType, data) = (null, []);
                if (line is null)
                {
                    yield break;
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
        }
    }

    private static TaskLogEntry ParseEntry(string json, string taskId)
    {
        try
        {
            return (JsonSerializer.Deserialize<TaskLogEntry>(json, ApiJson.Options)
                ?? throw new OrchestratorApiException("the API sent an empty transcript entry")) with { TaskId = taskId };
        }
        catch (JsonException e)
        {
            throw new OrchestratorApiException($"the API sent a transcript entry that is not what was expected ({Text.OneLine(e.Message)})", e);
        }
    }

    private static string TaskLogPath(string featureId, string taskId) => $"{FeaturePath(featureId)}/tasks/{Uri.EscapeDataString(taskId)}/log";
}
