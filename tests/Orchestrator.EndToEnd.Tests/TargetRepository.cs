using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A bare target repository made from a few files, as a user's repository on a forge would be: one commit on
/// <c>main</c>, cloned bare under the run's <c>forge/</c> folder.
/// </summary>
public static class TargetRepository
{
    /// <summary>Creates it under <paramref name="root"/> from <paramref name="files"/> (path → content); returns the bare repository's path.</summary>
    public static string Create(string root, string name, IReadOnlyDictionary<string, string> files)
    {
        var id = Guid.NewGuid().ToString("N");
        var work = Path.Combine(root, $"{name}-source", id);
        foreach (var (path, content) in files)
        {
            var file = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
        }

        Git(work, "init", "--quiet", "--initial-branch=main");
        Git(work, "add", "--all");
        Git(work, "-c", "user.name=Target", "-c", "user.email=target@example.com", "commit", "--quiet", "--no-verify", "-m", "The target repository");
        var repository = Path.Combine(root, "forge", id, $"{name}.git");
        Git(root, "clone", "--quiet", "--bare", work, repository);
        return repository;
    }

    /// <summary>The pull request records the built-in local forge wrote for <paramref name="repository"/> (none: empty).</summary>
    public static IReadOnlyList<JsonElement> PullRequests(string repository)
    {
        var pulls = Path.Combine(repository, "orchestrator", "pulls");
        return Directory.Exists(pulls) ? Directory.GetFiles(pulls, "*.json").Select(Read).ToList() : [];

        static JsonElement Read(string file)
        {
            using var record = JsonDocument.Parse(File.ReadAllText(file));
            return record.RootElement.Clone();
        }
    }

    /// <summary>The files on <paramref name="branch"/>.</summary>
    public static IReadOnlyList<string> Files(string repository, string branch) =>
        OrchestratorApp.Run("git", ["--git-dir", repository, "ls-tree", "-r", "--name-only", $"refs/heads/{branch}"], repository)
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void Git(string directory, params string[] arguments)
    {
        var result = OrchestratorApp.Run("git", arguments, directory);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Text}");
    }
}
