using System.Globalization;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// When a staging repository was last prepared, kept in a file beside git's own. A follow-up prepares a feature's
/// repository again right after the feature completed; the clean-up for that completion, if it runs late, must not
/// delete the repository the follow-up now works in.
/// </summary>
public static class StagingMarker
{
    private const string FileName = "orchestrator-prepared-at";

    public static void WritePrepared(string repository, DateTimeOffset at) =>
        File.WriteAllText(Path.Combine(repository, FileName), at.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>True when the repository was prepared after <paramref name="moment"/>: it belongs to later work.</summary>
    public static bool PreparedAfter(string repository, DateTimeOffset moment)
    {
        var file = Path.Combine(repository, FileName);
        return File.Exists(file)
               && DateTimeOffset.TryParse(File.ReadAllText(file), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var prepared)
               && prepared > moment;
    }
}
