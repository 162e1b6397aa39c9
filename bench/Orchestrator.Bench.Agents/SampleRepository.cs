using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Agents;

/// <summary>
/// Turns a sample folder into a bare git repository with one commit on <c>main</c>, as a user's repository on a forge
/// would be. Build output and dependency folders of a local run are left out.
/// </summary>
public sealed class SampleRepository(ProcessRunner processes)
{
    private static readonly HashSet<string> SkippedFolders =
        new(["bin", "obj", "node_modules", "__pycache__", "TestResults", ".git", ".vs", ".idea"], StringComparer.Ordinal);

    /// <summary>Creates <c>&lt;destination&gt;/&lt;name&gt;.git</c> from <paramref name="source"/>; returns its path.</summary>
    public async Task<string> CreateAsync(string source, string destination, string name, CancellationToken cancellationToken)
    {
        var work = Path.Combine(destination, $"{name}-source");
        Copy(source, work);
        await GitAsync(work, cancellationToken, "init", "--quiet", "--initial-branch=main");
        await GitAsync(work, cancellationToken, "add", "--all");
        await GitAsync(work, cancellationToken,
            "-c", "user.name=Sample Maintainer", "-c", "user.email=maintainer@example.com", "-c", "commit.gpgsign=false",
            "commit", "--quiet", "--no-verify", "-m", $"The {name} sample");
        var bare = Path.Combine(destination, $"{name}.git");
        await GitAsync(destination, cancellationToken, "clone", "--quiet", "--bare", work, bare);
        Directory.Delete(work, recursive: true);
        return bare;
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(source).Where(f => !SkippedFolders.Contains(Path.GetFileName(f))))
        {
            Copy(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }

    private async Task GitAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await processes.RunAsync(new ProcessSpec("git", arguments, directory) { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"git {arguments[0]} failed in {directory}: {result.Output.Trim()}");
        }
    }
}
