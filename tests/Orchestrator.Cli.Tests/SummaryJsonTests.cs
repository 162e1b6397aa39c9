using System.Text.Json;
using Orchestrator.Cli.Output;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

public sealed class SummaryJsonTests
{
    [Fact]
    public void Completed_feature_summary_has_the_documented_shape_on_one_line()
    {
        var feature = Snapshots.Executing(
            Snapshots.Coder with { State = "Completed", Branch = "orchestrator/1a2b3c4d/implement-power" },
            Snapshots.Tester with { State = "Completed", Branch = "orchestrator/1a2b3c4d/test-power" })
            with { State = "Completed", PullRequest = Snapshots.PullRequest };

        var line = SummaryJson.Write(feature);

        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(["feature", "state", "tasks", "pullRequest"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Snapshots.Id, root.GetProperty("feature").GetString());
        Assert.Equal("Completed", root.GetProperty("state").GetString());

        var tasks = root.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["id", "role", "state", "branch"], tasks[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["coder", "tester"], tasks.Select(t => t.GetProperty("role").GetString()));
        Assert.All(tasks, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));
        Assert.Equal("orchestrator/1a2b3c4d/implement-power", tasks[0].GetProperty("branch").GetString());

        var pr = root.GetProperty("pullRequest");
        Assert.Equal(["url", "head", "base", "repository"], pr.EnumerateObject().Select(p => p.Name));
        Assert.Equal("file:///repos/calc/pulls/1", pr.GetProperty("url").GetString());
        Assert.Equal("orchestrator/1a2b3c4d", pr.GetProperty("head").GetString());
        Assert.Equal("main", pr.GetProperty("base").GetString());
        Assert.Equal("/repos/calc", pr.GetProperty("repository").GetString());
    }

    [Fact]
    public void Failed_feature_summary_has_null_pull_request_and_the_failure_reason()
    {
        var feature = Snapshots.Executing(Snapshots.Coder with { State = "Failed" })
            with { State = "Failed", FailureReason = "merge conflict\nin Calculator.cs" };

        var line = SummaryJson.Write(feature);

        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("pullRequest").ValueKind);
        Assert.Equal("merge conflict\nin Calculator.cs", json.RootElement.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("tasks")[0].GetProperty("branch").ValueKind);
    }

    [Fact]
    public void Summary_without_failure_has_no_failure_reason_property()
    {
        using var json = JsonDocument.Parse(SummaryJson.Write(Snapshots.Planning));

        Assert.False(json.RootElement.TryGetProperty("failureReason", out _));
        Assert.Equal(0, json.RootElement.GetProperty("tasks").GetArrayLength());
    }
}
