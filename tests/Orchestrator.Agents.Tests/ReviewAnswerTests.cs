using Orchestrator.Agents.Reviewer;
using Orchestrator.Contracts;

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
}
