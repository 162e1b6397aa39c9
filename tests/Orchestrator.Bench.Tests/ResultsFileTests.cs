using System.Text.Json;
using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class ResultsFileTests
{
    private static readonly LatencySummary Summary = LatencySummary.Of([1, 2, 3, 4]);

    private static BenchResults Sample() => new(
        new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero),
        new MachineInfo(2, 8000, "Debian GNU/Linux 12 (bookworm)", "10.0.12", 0.4),
        new BenchSettings(true, 200, 20, 10, 200, 64, "the real orchestrator"),
        [new OverheadResult("excluded", "sqlite", "bench-demo-shape", 40, 0, Summary, Summary, Summary)],
        new SpeedupResult(200, 3, ParallelMs: 210, SequentialMs: 620, WhenAllMs: 201, InProcessSequentialMs: 603),
        [new ThroughputResult("postgres", 2, 2, 10, 900, 880, 0, 88.5, 1.2, Summary)],
        [new MemoryResult("coder", "agent service", 97.5, null, 0), new MemoryResult("orchestrator", "orchestrator", 130, 180, 1000)],
        [new DemoResult("before", new DateTimeOffset(2026, 11, 30, 6, 30, 0, TimeSpan.Zero), "Completed", 31.5)],
        []);

    [Fact]
    public void The_file_names_every_figure_in_camel_case()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        Assert.Equal("orchestration", root.GetProperty("benchmark").GetString());
        Assert.Equal(2, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.False(root.GetProperty("machine").GetProperty("underLoad").GetBoolean());
        Assert.Equal(2.5, root.GetProperty("overhead")[0].GetProperty("overheadMs").GetProperty("p50").GetDouble());
        Assert.Equal("excluded", root.GetProperty("overhead")[0].GetProperty("git").GetString());
        Assert.Equal(2.952, root.GetProperty("speedup").GetProperty("speedup").GetDouble());
        Assert.Equal(3, root.GetProperty("speedup").GetProperty("baselineSpeedup").GetDouble());
        Assert.Equal(88.5, root.GetProperty("throughput")[0].GetProperty("featuresPerSecond").GetDouble());
        Assert.False(root.GetProperty("memory")[0].TryGetProperty("loadedMegabytes", out _));
        Assert.Equal(180, root.GetProperty("memory")[1].GetProperty("loadedMegabytes").GetDouble());
        Assert.Equal(31.5, root.GetProperty("demo")[0].GetProperty("submitToPullRequestSeconds").GetDouble());
    }

    [Fact]
    public void A_file_reads_back_as_written_so_the_demo_can_join_it()
    {
        var written = Sample();

        var read = BenchResults.FromJson(written.ToJson())!;

        Assert.Equal(written.ToJson(), read.ToJson());
        Assert.Equal(written.Demo, read.Demo);
    }

    [Fact]
    public void The_report_judges_each_figure_against_its_target()
    {
        var rows = Report.Rows(Sample());

        Assert.Equal("met", rows.Single(r => r.Figure.StartsWith("overhead p50, git excluded, sqlite", StringComparison.Ordinal)).Verdict);
        Assert.Equal("met", rows.Single(r => r.Figure.StartsWith("parallel speedup", StringComparison.Ordinal)).Verdict);
        Assert.Equal("missed", rows.Single(r => r.Figure.StartsWith("throughput", StringComparison.Ordinal)).Verdict);
        Assert.Equal("met", rows.Single(r => r.Figure == "RSS coder idle").Verdict);
        Assert.Equal("missed", rows.Single(r => r.Figure.StartsWith("demo feature", StringComparison.Ordinal)).Verdict);
    }

    [Fact]
    public void The_section_is_replaced_between_its_markers_and_the_rest_kept()
    {
        var document = $"# Performance\n\nWhat the figures mean.\n\n{Report.SectionStart}\nold table\n{Report.SectionEnd}\n\n## Later\n";

        var rewritten = Report.Rewrite(document, Report.Section(Sample(), []));

        Assert.DoesNotContain("old table", rewritten, StringComparison.Ordinal);
        Assert.StartsWith("# Performance\n\nWhat the figures mean.\n\n", rewritten, StringComparison.Ordinal);
        Assert.EndsWith("\n\n## Later\n", rewritten, StringComparison.Ordinal);
        Assert.Contains("| overhead p50, git excluded, sqlite (4 features)", rewritten, StringComparison.Ordinal);
        Assert.Single(rewritten.Split(Report.SectionStart)[1..]);
    }

    [Fact]
    public void A_document_without_the_section_gets_it_appended()
    {
        var rewritten = Report.Rewrite("# Performance\n", Report.Section(Sample(), []));

        Assert.StartsWith("# Performance\n\n" + Report.SectionStart, rewritten, StringComparison.Ordinal);
        Assert.Contains("2 cores, 8,000 MB RAM, Debian GNU/Linux 12 (bookworm), .NET 10.0.12", rewritten, StringComparison.Ordinal);
    }
}
