using Orchestrator.Agents.Reviewer;
using Orchestrator.Contracts;
using Orchestrator.Llm.Devices;

namespace Orchestrator.Agents.Tests;

public sealed class ReviewAnswerTests
{
    [Fact]
    public void Reads_the_review_object_even_inside_a_code_fence()
    {
        var report = ReviewAnswer.Parse("""
            ```json
            {"verdict": "request-changes", "summary": " Power is wrong. ", "findings": [
              {"file": "src/A.cs", "line": 12, "severity": "must-fix", "message": "Power(x, 0) must be 1."},
              {"file": "README.md", "line": null, "severity": "suggestion", "message": "Mention it."}]}
            ```
            """, out var problem);

        Assert.Equal(string.Empty, problem);
        Assert.Equal(ReviewVerdict.RequestChanges, report!.Verdict);
        Assert.Equal("Power is wrong.", report.Summary);
        Assert.Equal(
            [new ReviewFinding("src/A.cs", 12, ReviewSeverity.MustFix, "Power(x, 0) must be 1."), new ReviewFinding("README.md", null, ReviewSeverity.Suggestion, "Mention it.")],
            report.Findings);
        Assert.Single(report.MustFix);
    }

    [Theory]
    [InlineData("Looks good!", "the answer holds no JSON object")]
    [InlineData("{\"verdict\": \"approve\", ", "the answer holds no JSON object")]
    [InlineData("{\"verdict\": \"lgtm\", \"summary\": \"x\", \"findings\": []}", "\"verdict\" must be \"approve\" or \"request-changes\"")]
    [InlineData("{\"verdict\": \"approve\", \"summary\": \"\", \"findings\": []}", "\"summary\" must be a non-empty string")]
    [InlineData("{\"verdict\": \"approve\", \"summary\": \"x\"}", "\"findings\" must be an array (empty when there is nothing to say)")]
    [InlineData("{\"verdict\": \"approve\", \"summary\": \"x\", \"findings\": [{\"file\": \"a\", \"line\": 0, \"severity\": \"suggestion\", \"message\": \"m\"}]}",
        "finding 1 must have \"file\", \"severity\" (\"must-fix\" or \"suggestion\"), \"message\" and a positive or null \"line\"")]
    [InlineData("{\"verdict\": \"approve\", \"summary\": \"x\", \"findings\": [{\"file\": \"a\", \"severity\": \"blocker\", \"message\": \"m\"}]}",
        "finding 1 must have \"file\", \"severity\" (\"must-fix\" or \"suggestion\"), \"message\" and a positive or null \"line\"")]
    [InlineData("{\"verdict\": \"request-changes\", \"summary\": \"x\", \"findings\": [{\"file\": \"a\", \"severity\": \"suggestion\", \"message\": \"m\"}]}",
        "\"request-changes\" needs at least one \"must-fix\" finding")]
    public void An_answer_that_is_not_that_shape_is_refused_with_what_is_wrong(string answer, string expected)
    {
        Assert.Null(ReviewAnswer.Parse(answer, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void What_the_model_wrote_is_bounded()
    {
        var findings = string.Join(",", Enumerable.Range(1, 80).Select(i => $"{{\"file\": \"f{i}\", \"line\": {i}, \"severity\": \"suggestion\", \"message\": \"{new string('m', 2000)}\"}}"));

        var report = ReviewAnswer.Parse($"{{\"verdict\": \"approve\", \"summary\": \"{new string('s', 10_000)}\", \"findings\": [{findings}]}}", out _);

        Assert.Equal(ReviewAnswer.MaxFindings, report!.Findings.Count);
        Assert.True(report.Summary.Length <= 4_001);
        Assert.All(report.Findings, f => Assert.True(f.Message.Length <= 1_001));
    }

    public static TheoryData<string> ScriptsThatReachReview() =>
    [
        "samples/scripts/demo-power.json",
        "samples/scripts/demo-conflict.json",
        "samples/scripts/demo-fix.json",
        "tests/Orchestrator.EndToEnd.Tests/Faults/fault-suite.json",
        "tests/Orchestrator.EndToEnd.Tests/Scale/four-coders.json",
        "tests/Orchestrator.EndToEnd.Tests/Security/security-canaries.json",
    ];

    [Theory]
    [MemberData(nameof(ScriptsThatReachReview))]
    public void Every_script_whose_feature_is_verified_has_a_review_1_that_ends_in_a_valid_review(string path)
    {
        var script = ModelScriptParser.Parse("script", File.ReadAllText(Path.Combine(SourceTree.Root, path)));

        Assert.Contains("review-1", script.Agents.Keys);
        foreach (var review in script.Agents.Keys.Where(k => k.StartsWith("review-", StringComparison.Ordinal)))
        {
            var last = script.TurnsFor(review)[^1];
            Assert.Empty(last.ToolCalls);
            Assert.True(ReviewAnswer.Parse(last.Content ?? string.Empty, out var problem) is not null, $"{path}: {review}: {problem}");
        }
    }
}
