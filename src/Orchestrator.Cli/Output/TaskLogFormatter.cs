using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Output;

/// <summary>How <c>logs</c> prints a transcript step: one line for people, or one JSON object per line for scripts.</summary>
internal static class TaskLogFormatter
{
    /// <summary>
    /// <c>time  task  attempt.sequence  kind  name  summary → result  duration  tokens</c>; a failed step says
    /// <c>[error]</c> after its kind.
    /// </summary>
    public static string Line(TaskLogEntry entry, TimeProvider time)
    {
        var at = TimeZoneInfo.ConvertTime(entry.At, time.LocalTimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var kind = entry.Ok ? entry.Kind : $"{entry.Kind} [error]";
        var what = entry.Result is null ? entry.Summary : $"{entry.Summary} → {entry.Result}";
        var tokens = entry.InputTokens is null && entry.OutputTokens is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"  tokens {entry.InputTokens ?? 0} in / {entry.OutputTokens ?? 0} out");
        return string.Create(CultureInfo.InvariantCulture,
            $"{at}  {entry.TaskId}  {entry.Attempt}.{entry.Sequence}  {kind}  {entry.Name}  {Text.OneLine(what)}  {entry.DurationMs} ms{tokens}");
    }

    /// <summary>The entry with its task, camelCase as the API names the fields.</summary>
    public static string Json(TaskLogEntry entry) =>
        JsonLine.Write(json =>
        {
            foreach (var property in JsonSerializer.SerializeToElement(entry, ApiJson.Options).EnumerateObject())
            {
                property.WriteTo(json);
            }
        });
}
