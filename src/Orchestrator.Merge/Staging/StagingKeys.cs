using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Orchestrator.Messaging;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// Each staging repository's key and the newest attempt seen of each of its tasks. Both live in the bare repository
/// under <c>orchestrator/</c>: <c>git http-backend</c> serves only git's own files (refs, objects, <c>HEAD</c>), so
/// neither can be read or written through the endpoint, and both go when the repository is deleted.
/// </summary>
public sealed class StagingKeys(IOptions<StagingOptions> options)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // One merge instance serves a staging root (docs/decisions/0005): an in-process lock orders the attempt records.
    private readonly Lock _attempts = new();

    /// <summary>The feature's key, made on first use; a redelivered preparation gets the same one.</summary>
    public string GetOrCreate(Guid featureId)
    {
        if (Find(featureId) is { } existing)
        {
            return existing;
        }

        var path = KeyPath(featureId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = StagingCredentials.NewKey();
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var file = new FileStream(path, create);
            file.Write(Encoding.ASCII.GetBytes(key));
            return key;
        }
        catch (IOException) when (Find(featureId) is { } raced)
        {
            return raced;
        }
    }

    /// <summary>The feature's key, or null when its staging repository does not exist (or predates keys).</summary>
    public string? Find(Guid featureId)
    {
        var path = KeyPath(featureId);
        if (!File.Exists(path))
        {
            return null;
        }

        var key = File.ReadAllText(path).Trim();
        return key.Length > 0 ? key : null;
    }

    /// <summary>
    /// Records <paramref name="attempt"/> as the task's newest unless a later one was seen already; false then: the
    /// attempt was superseded and may no longer touch the repository.
    /// </summary>
    public bool IsCurrentAttempt(Guid featureId, string taskId, int attempt)
    {
        var path = Path.Combine(options.Value.RepositoryPath(featureId), "orchestrator", "attempts",
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(taskId)));
        lock (_attempts)
        {
            var newest = File.Exists(path) && int.TryParse(File.ReadAllText(path), CultureInfo.InvariantCulture, out var recorded) ? recorded : 0;
            if (attempt < newest)
            {
                return false;
            }

            if (attempt > newest)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, attempt.ToString(CultureInfo.InvariantCulture));
            }

            return true;
        }
    }

    private string KeyPath(Guid featureId) => Path.Combine(options.Value.RepositoryPath(featureId), "orchestrator", "staging-key");
}
