using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>Feature records for the pure printer and summary tests; vary them with <c>with</c>.</summary>
internal static class Snapshots
{
    public const string Id = "1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab";

    public static Feature Planning { get; } = new()
    {
        Id = Id,
        State = "Planning",
        Repository = "/repos/calc",
        BaseBranch = "main",
        Request = "Add a Power method",
        Model = "scripted:demo-power (scripted demo model, not an AI)",
        Scripted = true,
        UpdatedAt = DateTimeOffset.Parse("2025-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static FeatureTask Coder { get; } = new()
    {
        Id = "implement-power",
        Role = "coder",
        Title = "Implement Calculator.Power",
        State = "Pending",
    };

    public static FeatureTask Tester { get; } = new()
    {
        Id = "test-power",
        Role = "tester",
        Title = "Test Calculator.Power",
        State = "Pending",
        DependsOn = ["implement-power"],
    };

    public static Feature Executing(params FeatureTask[] tasks) =>
        Planning with { State = "Executing", Title = "Add Calculator.Power", Tasks = tasks };

    public static PullRequest PullRequest { get; } =
        new(1, "file:///repos/calc/pulls/1", "orchestrator/1a2b3c4d", "main", "/repos/calc", "local");
}
