using Orchestrator.Cli.Api;
using Orchestrator.Cli.Output;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

public sealed class FeatureProgressPrinterTests
{
    [Fact]
    public void First_snapshot_names_the_model_and_the_state()
    {
        var lines = FeatureProgressPrinter.Changes(null, Snapshots.Planning);

        Assert.Equal(
            [
                "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab uses model scripted:demo-power (scripted demo model, not an AI)",
                "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab Planning",
            ],
            lines);
    }

    [Fact]
    public void Unchanged_snapshot_prints_nothing()
    {
        var feature = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1 });

        Assert.Empty(FeatureProgressPrinter.Changes(feature, feature));
    }

    [Fact]
    public void Changes_to_fields_that_are_not_shown_print_nothing()
    {
        var before = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1 });
        var after = before with
        {
            UpdatedAt = before.UpdatedAt!.Value.AddSeconds(5),
            Usage = new TokenUsage(100, 50, 2),
            Tasks = [before.Tasks[0] with { Usage = new TokenUsage(100, 50, 2) }],
        };

        Assert.Empty(FeatureProgressPrinter.Changes(before, after));
    }

    [Fact]
    public void Planning_to_executing_prints_the_state_then_the_title_then_the_new_tasks()
    {
        var lines = FeatureProgressPrinter.Changes(Snapshots.Planning, Snapshots.Executing(Snapshots.Coder, Snapshots.Tester));

        Assert.Equal(
            [
                "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab Executing",
                "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab title: Add Calculator.Power",
                "task implement-power (coder) Pending: Implement Calculator.Power",
                "task test-power (tester) Pending: Test Calculator.Power (after implement-power)",
            ],
            lines);
    }

    [Fact]
    public void Task_start_and_retry_print_the_attempt()
    {
        var pending = Snapshots.Executing(Snapshots.Coder, Snapshots.Tester);
        var running = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1 }, Snapshots.Tester);
        var retried = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 2 }, Snapshots.Tester);

        Assert.Equal(["task implement-power (coder) Running attempt 1"], FeatureProgressPrinter.Changes(pending, running));
        Assert.Equal(["task implement-power (coder) Running attempt 2"], FeatureProgressPrinter.Changes(running, retried));
    }

    [Fact]
    public void A_task_is_queued_until_it_runs_on_an_instance_and_a_retry_says_why_the_last_attempt_ended()
    {
        var queued = Snapshots.Executing(Snapshots.Coder with { State = "Queued", Attempts = 1 });
        var running = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1, Instance = "coder@pod-a/7", LastSeen = Snapshots.Planning.UpdatedAt });
        var heartbeat = Snapshots.Executing(running.Tasks[0] with { LastSeen = Snapshots.Planning.UpdatedAt!.Value.AddSeconds(10) });
        var lost = "attempt 1: lost: no heartbeat from coder@pod-a/7 since 2025-01-01 12:00:10Z";
        var requeued = Snapshots.Executing(Snapshots.Coder with { State = "Queued", Attempts = 2, EarlierFailures = [lost] });
        var rerunning = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 2, Instance = "coder@pod-b/9", EarlierFailures = [lost] });

        Assert.Equal(["task implement-power (coder) Queued attempt 1: waiting for a coder agent"], FeatureProgressPrinter.Changes(Snapshots.Executing(Snapshots.Coder), queued));
        Assert.Equal(["task implement-power (coder) Running attempt 1 on coder@pod-a/7"], FeatureProgressPrinter.Changes(queued, running));
        Assert.Empty(FeatureProgressPrinter.Changes(running, heartbeat));
        Assert.Equal([$"task implement-power (coder) Queued attempt 2: waiting for a coder agent ({lost})"], FeatureProgressPrinter.Changes(heartbeat, requeued));
        Assert.Equal([$"task implement-power (coder) Running attempt 2 on coder@pod-b/9 ({lost})"], FeatureProgressPrinter.Changes(heartbeat, rerunning));
    }

    [Fact]
    public void Completed_task_shows_branch_short_commit_and_first_summary_line()
    {
        var running = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1 });
        var done = Snapshots.Executing(Snapshots.Coder with
        {
            State = "Completed",
            Attempts = 1,
            Branch = "orchestrator/1a2b3c4d/implement-power",
            Commit = "abc1234def5678",
            Summary = "\nAdded Calculator.Power\n\nHandles negative exponents.",
        });

        Assert.Equal(
            ["task implement-power (coder) Completed orchestrator/1a2b3c4d/implement-power abc1234: Added Calculator.Power"],
            FeatureProgressPrinter.Changes(running, done));
    }

    [Fact]
    public void Failed_task_shows_its_reason()
    {
        var running = Snapshots.Executing(Snapshots.Tester with { State = "Running", Attempts = 2 });
        var failed = Snapshots.Executing(Snapshots.Tester with { State = "Failed", Attempts = 2, FailureReason = "tests do not compile" });

        Assert.Equal(["task test-power (tester) Failed: tests do not compile"], FeatureProgressPrinter.Changes(running, failed));
    }

    [Fact]
    public void Completion_ends_with_the_feature_state_and_then_the_pull_request()
    {
        var consolidating = Snapshots.Executing(Snapshots.Coder with { State = "Completed", Attempts = 1 }) with { State = "Consolidating" };
        var completed = consolidating with
        {
            State = "Completed",
            Verification = new Verification(true, "dotnet test", "12 passed"),
            PullRequest = Snapshots.PullRequest,
        };

        Assert.Equal(
            [
                "verification passed (dotnet test): 12 passed",
                "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab Completed",
                "pull request #1 opened: file:///repos/calc/pulls/1 (orchestrator/1a2b3c4d → main)",
            ],
            FeatureProgressPrinter.Changes(consolidating, completed));
    }

    [Theory]
    [InlineData(false, true, 1, true, "verification FAILED (exit code 1) (make test): 2 failed")]
    [InlineData(false, true, null, true, "verification FAILED (did not finish) (make test): 2 failed")]
    [InlineData(true, true, 0, false, "verification passed (make test, NOT SANDBOXED): 2 failed")]
    [InlineData(false, false, null, true, "NOT VERIFIED (the base branch names no build or test command): 2 failed")]
    public void The_verification_line_says_passed_only_for_a_command_that_exited_zero(bool passed, bool ran, int? exitCode, bool sandboxed, string expected)
    {
        var verification = new Verification(passed, "make test", "building\n2 failed\n") { Ran = ran, ExitCode = exitCode, Sandboxed = sandboxed };

        Assert.Equal(expected, FeatureProgressPrinter.VerificationLine(verification));
    }

    [Fact]
    public void Failure_ends_with_the_reason()
    {
        var executing = Snapshots.Executing(Snapshots.Coder with { State = "Running", Attempts = 1 });
        var failed = executing with
        {
            State = "Failed",
            FailureReason = "merge conflict in Calculator.cs\nsee logs",
            Tasks = [executing.Tasks[0] with { State = "Failed", FailureReason = "gave up" }],
        };

        var lines = FeatureProgressPrinter.Changes(executing, failed);

        Assert.Equal(["task implement-power (coder) Failed: gave up", "feature 1a2b3c4d-5e6f-4a0b-8c9d-0123456789ab Failed: merge conflict in Calculator.cs"], lines);
    }

    [Fact]
    public void Scripted_model_is_labelled_even_when_the_server_label_does_not_say_so()
    {
        var feature = Snapshots.Planning with { Model = "demo-power", Scripted = true };

        Assert.Equal("demo-power [scripted, not an AI]", ModelLabel.For(feature));
        Assert.Equal("gpt-4o", ModelLabel.For(feature with { Model = "gpt-4o", Scripted = false }));
    }
}
