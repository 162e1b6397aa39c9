using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.Merge.Tests.Support;

namespace Orchestrator.Merge.Tests;

public sealed class PullRequestBodyTests
{
    private static readonly VerificationResult Passed = new(true, "dotnet test --nologo", "tests: Passed!  - Failed: 0, Passed: 22")
    {
        ExitCode = 0,
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Sandboxed = true,
    };

    private static ConsolidateFeature Feature(ModelSelection? model = null) => Features.Consolidate(
        Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
        "/repos/calculator.git",
        [
            Features.Task("implement-power", AgentRole.Coder, "orchestrator/tasks/x/implement-power", "0123456789abcdef0123") with
            {
                Title = "Implement Arithmetic.Power",
                Summary = "Added Power to Arithmetic.cs.\n",
                Usage = new TokenUsage(1000, 234, 5),
            },
            Features.Task("test-power", AgentRole.Tester, "orchestrator/tasks/x/test-power", "abcdef", "implement-power") with
            {
                Title = "Test | Power",
                Summary = "Added 11 tests.",
                Attempts = 2,
            },
        ],
        model);

    private static string Write(ConsolidateFeature feature, VerificationResult? verification = null, Uri? publicUrl = null)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return PullRequestBody.Write(feature, verification ?? Passed, publicUrl);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void The_body_lists_the_repository_instruction_files_the_planner_and_agents_were_given()
    {
        var body = Write(Feature() with { InstructionFiles = ["AGENTS.md", "src/AGENTS.md", "we`ird.md"] });

        Assert.Contains("**Repository instructions used:** `AGENTS.md`, `src/AGENTS.md`, ``we`ird.md`` (given to the planner and the agents", body, StringComparison.Ordinal);
        Assert.True(body.IndexOf("## Tasks", StringComparison.Ordinal) < body.IndexOf("Repository instructions used", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_instruction_files_the_body_does_not_mention_them()
    {
        Assert.DoesNotContain("Repository instructions", Write(Feature()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scripted_run_opens_with_a_banner_saying_no_AI_wrote_it()
    {
        var body = Write(Feature());

        Assert.StartsWith("> **Scripted run.**", body, StringComparison.Ordinal);
        Assert.Contains("scripted model (`demo-power`)", body, StringComparison.Ordinal);
        Assert.Contains("No AI wrote it.", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_real_model_run_has_no_scripted_banner_and_names_the_model()
    {
        var body = Write(Feature(new ModelSelection(null, "llm:gpt-test")));

        Assert.DoesNotContain("Scripted run", body, StringComparison.Ordinal);
        Assert.DoesNotContain("No AI wrote it", body, StringComparison.Ordinal);
        Assert.StartsWith("## Summary", body, StringComparison.Ordinal);
        Assert.Contains("Model: llm:gpt-test", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_every_task_in_a_table_row_with_role_state_branch_short_commit_attempts_duration_and_tokens()
    {
        var lines = Write(Feature()).Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        var header = lines.IndexOf("| Task | Role | State | Branch | Commit | Attempts | Duration | Tokens |");
        Assert.True(header >= 0, "no task table");
        Assert.Equal("| Implement Arithmetic.Power (`implement-power`) | Coder | Completed | `orchestrator/tasks/x/implement-power` | `0123456789` | 1 | 12.5 s | 1,234 |",
            lines[header + 2]);
        Assert.Equal("| Test \\| Power (`test-power`) | Tester | Completed | `orchestrator/tasks/x/test-power` | `abcdef` | 2 | 12.5 s | 120 |",
            lines[header + 3]);
    }

    [Fact]
    public void Without_a_public_url_the_body_says_how_to_read_each_tasks_transcript_with_the_cli()
    {
        var body = Write(Feature());

        Assert.Contains(
            "Each task's transcript (every model turn and tool call): `orchestrator logs 6f9619ff-8b86-d011-b42d-00cf4fc964ff --task <task>`.",
            body, StringComparison.Ordinal);
        Assert.DoesNotContain("/log)", body, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_public_url_each_task_row_links_to_its_transcript()
    {
        var lines = Write(Feature(), publicUrl: new Uri("https://orchestrator.example.com/")).Split('\n').ToList();

        var header = lines.IndexOf("| Task | Role | State | Branch | Commit | Attempts | Duration | Tokens | Transcript |");
        Assert.True(header >= 0, "no task table with a transcript column");
        Assert.EndsWith(
            "| [log](https://orchestrator.example.com/board/#/features/6f9619ff-8b86-d011-b42d-00cf4fc964ff/tasks/implement-power) |",
            lines[header + 2], StringComparison.Ordinal);
        Assert.EndsWith(
            "| [log](https://orchestrator.example.com/board/#/features/6f9619ff-8b86-d011-b42d-00cf4fc964ff/tasks/test-power) |",
            lines[header + 3], StringComparison.Ordinal);
    }

    [Fact]
    public void Gives_each_agents_summary_under_its_role_and_title()
    {
        var body = Write(Feature());

        Assert.Contains("### Coder: Implement Arithmetic.Power\n\n```text\nAdded Power to Arithmetic.cs.\n```\n", body, StringComparison.Ordinal);
        Assert.Contains("### Tester: Test | Power\n\n```text\nAdded 11 tests.\n```\n", body, StringComparison.Ordinal);
        Assert.True(body.IndexOf("## What each agent did", StringComparison.Ordinal) < body.IndexOf("### Coder", StringComparison.Ordinal));
    }

    [Fact]
    public void Quotes_the_request_line_by_line_and_summarises_the_feature()
    {
        var body = Write(Feature());

        Assert.Contains("## Summary\n\nAdds a greeting, its test and its documentation.\n", body, StringComparison.Ordinal);
        Assert.Contains("> Please add a greeting.\n> It should say hello.\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Falls_back_to_the_title_when_the_plan_has_no_summary()
    {
        var body = Write(Feature() with { Summary = "  " });

        Assert.Contains("## Summary\n\nAdd a greeting\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_passed_only_for_a_command_that_ran_and_exited_zero_naming_the_command_exit_code_and_commit()
    {
        var passed = Write(Feature());
        var notRun = Write(Feature(), new VerificationResult(false, "(none)", "Not verified: no command.") { Ran = false });

        Assert.Contains(
            "Passed: `dotnet test --nologo` exited 0 on the merged commit `0123456789`. It ran in the sandbox, without network, " +
            "from the base branch's configuration.\n\n```text\ntests: Passed!  - Failed: 0, Passed: 22\n```", passed, StringComparison.Ordinal);
        Assert.Contains("**Not verified:** the base branch names no build or test command", notRun, StringComparison.Ordinal);
        Assert.DoesNotContain("Passed:", notRun, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "**Failed:** `make test` exited 1 on the merged commit")]
    [InlineData(null, "**Failed:** `make test` did not finish on the merged commit")]
    public void A_failed_or_killed_command_is_never_called_passed(int? exitCode, string expected)
    {
        var body = Write(Feature(), new VerificationResult(false, "make test", "boom") { ExitCode = exitCode, Commit = "abcdef0123456789", Sandboxed = true });

        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Passed:", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_so_when_the_command_ran_without_a_sandbox()
    {
        var body = Write(Feature(), Passed with { Sandboxed = false });

        Assert.Contains("**It ran without a sandbox** (`Sandbox:Mode=none`).", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_holding_backticks_cannot_close_its_code_span()
    {
        var body = Write(Feature(), Passed with { Command = "echo `` @octocat" });

        Assert.Contains("Passed: ```echo `` @octocat``` exited 0", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_with_the_usage_and_the_feature_id()
    {
        var body = Write(Feature());

        Assert.Contains("Tokens: 300 in, 60 out (9 calls) · Feature `6f9619ff-8b86-d011-b42d-00cf4fc964ff`", body, StringComparison.Ordinal);
        Assert.Contains("## Reviewer checklist", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Closes_the_issue_the_feature_resolves()
    {
        Assert.Contains("Closes #42", Write(Feature() with { Issue = 42 }), StringComparison.Ordinal);
        Assert.DoesNotContain("Closes #", Write(Feature()), StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_the_cost_when_the_model_has_a_price()
    {
        Assert.Contains("· Cost: 0.0125 USD ·", Write(Feature() with { Cost = "0.0125 USD" }), StringComparison.Ordinal);
        Assert.DoesNotContain("Cost:", Write(Feature()), StringComparison.Ordinal);
    }

    [Fact]
    public void An_agents_summary_cannot_close_its_block_mention_anyone_or_hide_characters()
    {
        var summary = "Done.\n```\n## Approved by @octocat\n````\nSee \u202Eevil\u202C and @org/team, mail me at a@b.c.";
        var feature = Feature();
        var body = Write(feature with { Tasks = [feature.Tasks[0] with { Summary = summary, Title = "Fix @octocat's bug" }] });

        Assert.Contains("`````text\nDone.\n```\n## Approved by @octocat\n````\nSee evil and @org/team, mail me at a@b.c.\n`````\n", body, StringComparison.Ordinal);
        Assert.Contains("### Coder: Fix &#64;octocat's bug\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_and_the_summary_mention_no_one()
    {
        var body = Write(Feature() with { Request = "Ping @maintainers\nplease", Summary = "cc @octocat" });

        Assert.Contains("> Ping &#64;maintainers\n> please\n", body, StringComparison.Ordinal);
        Assert.Contains("## Summary\n\ncc &#64;octocat\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_stays_below_githubs_limit_however_long_the_output()
    {
        var body = Write(Feature(), new VerificationResult(false, "dotnet test", new string('x', 200_000)));

        Assert.True(body.Length < 65_536, $"the body has {body.Length} characters");
        Assert.Contains("more characters not shown", body, StringComparison.Ordinal);
    }
}
