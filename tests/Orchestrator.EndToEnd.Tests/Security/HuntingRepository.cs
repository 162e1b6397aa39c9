using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.EndToEnd.Tests.Security;

/// <summary>What a hostile repository's commands go looking for: paths an attacker would guess, and where to knock.</summary>
public sealed record HuntTargets(
    IReadOnlyList<string> SecretFiles,
    IReadOnlyList<string> OrchestratorFolders,
    IReadOnlyList<string> TcpTargets,
    string Api);

/// <summary>
/// A bare target repository, made like samples/create-sample-repo.sh makes the sample, whose restore, build and test
/// commands (<c>.orchestrator.json</c>) all run <c>hunt.sh</c>: it hunts for secrets and publishes what it finds.
/// </summary>
public static class HuntingRepository
{
    /// <summary>Creates the repository under <paramref name="root"/>; returns its path and the marker every hunt prints.</summary>
    public static (string Repository, string Marker) Create(string root, HuntTargets targets)
    {
        var marker = $"HUNT-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var repository = TargetRepository.Create(root, "hunting", new Dictionary<string, string>
        {
            ["hunt.sh"] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "hunt.sh")),
            ["hunt-targets"] = TargetsFile(marker, targets),
            [".orchestrator.json"] =
                """{"restore": ["bash", "hunt.sh", "restore"], "build": ["bash", "hunt.sh", "build"], "test": ["bash", "hunt.sh", "test"]}""",
            ["README.md"] = "# A repository whose build hunts for secrets\n",
        });
        return (repository, marker);
    }

    private static string TargetsFile(string marker, HuntTargets targets)
    {
        var text = new StringBuilder();
        text.Append("marker=").AppendLine(Quote(marker));
        text.Append("secret_files=(").AppendJoin(' ', targets.SecretFiles.Select(Quote)).AppendLine(")");
        text.Append("orchestrator_folders=(").AppendJoin(' ', targets.OrchestratorFolders.Select(Quote)).AppendLine(")");
        text.Append("tcp_targets=(").AppendJoin(' ', targets.TcpTargets.Select(Quote)).AppendLine(")");
        text.Append("api=").AppendLine(Quote(targets.Api));
        return text.ToString();
    }

    // Single quotes: bash takes everything inside literally; the paths are the test's own and hold no quote.
    private static string Quote(string value) =>
        value.Contains('\'', StringComparison.Ordinal) ? throw new ArgumentException($"a quote in '{value}'") : $"'{value}'";
}
