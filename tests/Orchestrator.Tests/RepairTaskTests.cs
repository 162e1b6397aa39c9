using Orchestrator.Contracts;
using Orchestrator.Features;

namespace Orchestrator.Tests;

public sealed class RepairTaskTests
{
    [Fact]
    public void A_conflict_resolution_names_the_task_the_files_and_carries_the_hunks()
    {
        var repair = RepairTask.ResolveConflicts(2, new MergeConflicted(Guid.Empty, "docs", ["README.md", "src/A.cs"], "<<<<<<< HEAD\nA\n=======\nB\n>>>>>>> x"));

        Assert.Equal((TaskKind.ResolveConflicts, "resolve-conflicts-2"), (repair.Kind, repair.TaskId));
        Assert.Equal("Resolve the merge conflicts in README.md, src/A.cs", repair.Title);
        Assert.Contains("the branch of task 'docs' conflicts with the work\nmerged before it in: README.md, src/A.cs.", repair.Instructions, StringComparison.Ordinal);
        Assert.EndsWith("```\n<<<<<<< HEAD\nA\n=======\nB\n>>>>>>> x\n```", repair.Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verification_fix_carries_the_command_and_its_output_and_placeholders_inside_them_stay_as_they_are()
    {
        var repair = RepairTask.FixVerification(1, new VerificationResult(false, "dotnet test", "Failed {{command}} PowerTests.Zero"));

        Assert.Equal((TaskKind.FixVerification, "fix-verification-1"), (repair.Kind, repair.TaskId));
        Assert.Equal("Make `dotnet test` pass on the merged branch", repair.Title);
        Assert.StartsWith("The merged branch of this feature fails its verification: `dotnet test`.", repair.Instructions, StringComparison.Ordinal);
        Assert.Contains("Failed {{command}} PowerTests.Zero", repair.Instructions, StringComparison.Ordinal);
        Assert.DoesNotContain("{{output}}", repair.Instructions, StringComparison.Ordinal);
    }
}
