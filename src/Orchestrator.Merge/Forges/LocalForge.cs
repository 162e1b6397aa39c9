using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Forges;

/// <summary>A pull request of the local forge, stored as JSON beside the repository it belongs to.</summary>
public sealed record LocalPullRequest(
    int Number,
    Guid FeatureId,
    string Title,
    string Body,
    string Head,
    string Base,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The built-in forge for repositories reached by path or <c>file://</c>: the repository itself is the remote, and
/// pull requests are records in <c>&lt;git-dir&gt;/orchestrator/pulls/&lt;number&gt;.json</c>. A lock file makes numbering
/// and the look-up-before-create safe across processes on the same machine.
/// </summary>
public sealed class LocalForge(ProcessRunner processes, TimeProvider time) : IPullRequestPublisher
{
    public const string Name = "local";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Forge => Name;

    public bool CanPublishTo(string repository) => LocalPath(repository) is not null;

    // A local repository needs no credential; a folder the service cannot write to shows at the push, with git's reason.
    public Task<string?> CheckWriteAccessAsync(string repository, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<PullRequestInfo> OpenOrUpdateAsync(PullRequestDraft draft, CancellationToken cancellationToken)
    {
        var path = LocalPath(draft.Repository) ?? throw new InvalidOperationException($"'{draft.Repository}' is not a local repository.");
        var pulls = await PullsDirectoryAsync(path, cancellationToken);
        Directory.CreateDirectory(pulls);

        using var guard = await AcquireLockAsync(pulls, cancellationToken);
        var now = time.GetUtcNow();
        var existing = Read(pulls).FirstOrDefault(p => p.Head == draft.Head && p.State == "open");
        var record = existing is null
            ? new LocalPullRequest(NextNumber(pulls), draft.FeatureId, draft.Title, draft.Body, draft.Head, draft.Base, "open", now, now)
            : existing with { Title = draft.Title, Body = draft.Body, Base = draft.Base, UpdatedAt = now };

        var file = Path.Combine(pulls, $"{record.Number}.json");
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(record, Json), cancellationToken);
        File.Move(temporary, file, overwrite: true);

        return new PullRequestInfo(record.Number, new Uri(file).AbsoluteUri, record.Head, record.Base, draft.Repository, Name);
    }

    /// <summary>All pull requests of a local repository, by number.</summary>
    public async Task<IReadOnlyList<LocalPullRequest>> ListAsync(string repository, CancellationToken cancellationToken)
    {
        var path = LocalPath(repository) ?? throw new InvalidOperationException($"'{repository}' is not a local repository.");
        var pulls = await PullsDirectoryAsync(path, cancellationToken);
        return Directory.Exists(pulls) ? Read(pulls).OrderBy(p => p.Number).ToList() : [];
    }

    public static string? LocalPath(string repository)
    {
        var path = Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath
            : Path.IsPathRooted(repository) ? repository
            : null;
        return path is not null && Directory.Exists(path) ? Path.GetFullPath(path) : null;
    }

    private async Task<string> PullsDirectoryAsync(string repositoryPath, CancellationToken cancellationToken)
    {
        var gitDirectory = await new GitRepository(processes, repositoryPath).GitDirectoryAsync(cancellationToken);
        return Path.Combine(gitDirectory, "orchestrator", "pulls");
    }

    private static IEnumerable<LocalPullRequest> Read(string pulls) =>
        Directory.EnumerateFiles(pulls, "*.json")
            .Select(f => JsonSerializer.Deserialize<LocalPullRequest>(File.ReadAllText(f), Json))
            .OfType<LocalPullRequest>();

    private static int NextNumber(string pulls) => Read(pulls).Select(p => p.Number).DefaultIfEmpty(0).Max() + 1;

    private static async Task<FileStream> AcquireLockAsync(string pulls, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(pulls, ".lock");
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
