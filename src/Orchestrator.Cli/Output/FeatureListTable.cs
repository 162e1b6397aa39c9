using System.Globalization;
using Orchestrator.Cli.Api;
using Spectre.Console;
using TerminalText = Spectre.Console.Text;

namespace Orchestrator.Cli.Output;

/// <summary><c>list</c> in a terminal: a row per feature with its id (to paste into other commands), state, repository, submission time and pull request.</summary>
internal static class FeatureListTable
{
    public static Table Build(IReadOnlyList<Feature> features, TimeZoneInfo localTime)
    {
        var table = new Table();
        // The id must stay whole on one line to be copied into other commands; repository and pull request wrap instead.
        table.AddColumn(new TableColumn("Id") { NoWrap = true });
        table.AddColumn(new TableColumn("State") { NoWrap = true });
        table.AddColumn("Repository");
        table.AddColumn(new TableColumn("Submitted") { NoWrap = true });
        table.AddColumn("Pull request");
        foreach (var feature in features)
        {
            table.AddRow(
                new TerminalText(feature.Id),
                new TerminalText(feature.State, FeatureTable.StateStyle(feature.State)),
                new TerminalText(feature.Repository ?? ""),
                new TerminalText(Submitted(feature.SubmittedAt, localTime)),
                new TerminalText(feature.PullRequest?.Url ?? ""));
        }

        return table;
    }

    private static string Submitted(DateTimeOffset? at, TimeZoneInfo localTime) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, localTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
}
