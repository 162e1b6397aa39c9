using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator show &lt;id&gt;</c>: the readable form of <c>status</c>, a table of the tasks in a terminal; where
/// stdout is not one (or with <c>--plain</c>) it prints exactly what <c>status</c> prints.
/// </summary>
internal sealed class ShowCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly OutputFormatOptions _format = new("Print the feature exactly as the API returns it (as 'status --json').");

    public ShowCommand(ApiConnection connection)
        : base("show", "Show a feature: a table of its tasks in a terminal, else the lines of 'status'.", connection)
    {
        Arguments.Add(_id);
        _format.AddTo(this);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        var format = _format.Read(parseResult, context.Terminal);
        if (format == OutputFormat.Json)
        {
            return await StatusCommand.WriteJsonAsync(context, featureId);
        }

        var feature = await context.Api.GetFeatureAsync(featureId, context.CancellationToken);
        if (format == OutputFormat.Lines || context.Terminal is not { } terminal)
        {
            return await StatusCommand.WriteLinesAsync(context, feature);
        }

        terminal.Write(DetailedTable(feature, context.Settings.Time));
        return ExitCodes.Success;
    }

    // The watch's table plus what the watch leaves out: where the feature works and what it was asked.
    private static Table DetailedTable(Feature feature, TimeProvider time)
    {
        var table = FeatureTable.Build(feature, time.GetUtcNow());
        AddIfPresent(table, "repository", feature.BaseBranch is null ? feature.Repository : $"{feature.Repository} (base {feature.BaseBranch})");
        AddIfPresent(table, "request", feature.Request is null ? null : Text.OneLine(feature.Request));
        AddIfPresent(table, "submitted", Timestamp(feature.SubmittedAt, time));
        AddIfPresent(table, "updated", Timestamp(feature.UpdatedAt, time));
        AddIfPresent(table, "usage", feature.Usage is { } usage
            ? string.Create(CultureInfo.InvariantCulture, $"{FeatureTable.Tokens(usage)} tokens in / out, {usage.Calls} calls")
            : null);
        return table;
    }

    private static void AddIfPresent(Table table, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            FeatureTable.AddFooterRow(table, label, value);
        }
    }

    private static string? Timestamp(DateTimeOffset? at, TimeProvider time) =>
        at is { } value
            ? TimeZoneInfo.ConvertTime(value, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : null;
}
