using Orchestrator.Agents.Reviewer;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

public sealed class ReviewPromptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Diff = """
        diff --git a/src/Hello.txt b/src/Hello.txt
        +Hello
        diff --git a/README.md b/README.md
        +# Greeter
        diff --git a/src/Hello.txt b/src/Hello.txt
        """;

    [Fact]
    public void The_files_a_diff_changes_are_read_from_its_headers_once_each()
    {
        Assert.Equal(["src/Hello.txt", "README.md"], ReviewPrompt.FilesIn(Diff));
    }

    [Fact]
    public void The_review_prompt_holds_the_instructions_nearest_to_the_changed_files()
    {
        _temp.WriteFile("AGENTS.md", "Root guidance.");
        _temp.WriteFile("src/AGENTS.md", "Source guidance: greetings end with a period.");
        var instructions = RepositoryInstructions.Read(new WorkspaceRoot(_temp.Path), ReviewPrompt.FilesIn(Diff));
        var review = new ReviewFeature(
            Tasks.Assignment("/repos/greeter", "review", "review-1") with { Role = AgentRole.Reviewer, Kind = TaskKind.Review },
            "abc123", "Add a greeting", "Adds src/Hello.txt.", ["implement (Coder): Add Hello.txt"]);

        var prompt = ReviewPrompt.For(review, Diff, diffCut: false, instructions);

        Assert.Contains("repository-instructions file=\"src/AGENTS.md\"", prompt, StringComparison.Ordinal);
        Assert.Contains("Source guidance: greetings end with a period.", prompt, StringComparison.Ordinal);
        Assert.Contains("Your task (review-1)", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("repository-instructions", ReviewPrompt.For(review, Diff, diffCut: false), StringComparison.Ordinal);
    }
}
