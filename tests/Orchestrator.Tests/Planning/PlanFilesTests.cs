using System.Text.Json;
using Orchestrator.Contracts;
using Orchestrator.Planning;

namespace Orchestrator.Tests.Planning;

/// <summary>The files each task of a plan names: parsed, validated, and asked for by the schema.</summary>
public sealed class PlanFilesTests
{
    private static ParsedPlan PlanWithFiles(params string[] files) => new(
        "Add Power", "summary", "double Power(double, int)",
        [new PlannedTask("implement-power", AgentRole.Coder, "Implement", "Do it.", []) { Files = files }]);

    [Fact]
    public void The_planners_files_are_parsed_per_task_trimmed_and_without_hidden_characters()
    {
        var plan = PlanParser.Parse(
            """{"title": "t", "tasks": [{"id": "a", "role": "coder", "title": "t", "instructions": "i", "dependsOn": [], "files": [" src/A.cs ", "src/\u202EB.cs"]}]}""");

        Assert.Equal(["src/A.cs", "src/B.cs"], plan.Tasks[0].Files);
    }

    [Fact]
    public void A_task_without_files_has_none()
    {
        var plan = PlanParser.Parse("""{"title": "t", "tasks": [{"id": "a", "role": "coder", "title": "t", "instructions": "i"}]}""");

        Assert.Empty(plan.Tasks[0].Files);
        Assert.Empty(PlanValidator.Validate(plan));
    }

    [Fact]
    public void Relative_paths_inside_the_repository_are_valid()
    {
        Assert.Empty(PlanValidator.Validate(PlanWithFiles("src/Calculator/Arithmetic.cs", "README.md", ".github/workflows/ci.yml", "a/./b.cs")));
    }

    [Theory]
    [InlineData("../outside.cs", "must not contain '..'")]
    [InlineData("src/../../etc/passwd", "must not contain '..'")]
    [InlineData("/etc/passwd", "must be relative to the repository root")]
    [InlineData("C:/Windows/x.cs", "must be relative to the repository root")]
    [InlineData("~/x.cs", "must be relative to the repository root")]
    [InlineData("src\\A.cs", "must use forward slashes")]
    [InlineData(".git/config", "must not be inside .git")]
    [InlineData("", "is empty")]
    [InlineData("src/A\n.cs", "contains control characters")]
    public void A_path_that_is_not_a_plain_relative_path_in_the_repository_is_a_problem(string file, string problem)
    {
        var problems = PlanValidator.Validate(PlanWithFiles(file));

        var reported = Assert.Single(problems);
        Assert.StartsWith("task 'implement-power' names file ", reported, StringComparison.Ordinal);
        Assert.EndsWith(problem, reported, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_files_too_long_a_path_or_one_named_twice_is_a_problem()
    {
        var many = Enumerable.Range(0, PlanValidator.MaxFilesPerTask + 1).Select(i => $"src/F{i}.cs").ToArray();
        Assert.Equal($"task 'implement-power' names {many.Length} files; at most {PlanValidator.MaxFilesPerTask} are allowed",
            Assert.Single(PlanValidator.Validate(PlanWithFiles(many))));
        Assert.Contains("is longer than", Assert.Single(PlanValidator.Validate(PlanWithFiles(new string('a', PlanValidator.MaxFilePathLength + 1)))));
        Assert.Equal("task 'implement-power' names file 'src/A.cs' twice", Assert.Single(PlanValidator.Validate(PlanWithFiles("src/A.cs", "src/A.cs"))));
    }

    [Fact]
    public void The_planners_transcript_id_is_reserved()
    {
        var plan = new ParsedPlan("t", null, null, [new PlannedTask("planner", AgentRole.Coder, "t", "i", [])]);

        Assert.Equal("task id 'planner' is reserved; choose another", Assert.Single(PlanValidator.Validate(plan)));
    }

    [Fact]
    public void The_schema_requires_files_on_every_task()
    {
        var task = PlanSchema.Schema.GetProperty("properties").GetProperty("tasks").GetProperty("items");

        Assert.Contains("files", task.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Array.ToString().ToLowerInvariant(), task.GetProperty("properties").GetProperty("files").GetProperty("type").GetString());
    }
}
