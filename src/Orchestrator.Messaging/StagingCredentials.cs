using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Messaging;

/// <summary>
/// What a staging credential lets its holder do in one feature's staging repository: read it, and — for a task
/// attempt — push that task's branch. A reader (no task) is the merge service fetching for consolidation.
/// </summary>
public sealed record StagingGrant(Guid FeatureId, string? TaskId, int Attempt)
{
    public bool IsReader => TaskId is null;

    /// <summary>The one branch a task attempt may push (docs/decisions/0003-branch-names.md); null for a reader.</summary>
    public string? Branch => TaskId is null ? null : $"orchestrator/tasks/{FeatureId:N}/{TaskId}";

    /// <summary>
    /// Where a task attempt's runner snapshots go (docs/decisions/0012-kubernetes-job-runner.md): refs outside
    /// <c>refs/heads/</c> that nothing merges, clones by default or shows in a pull request, apart from the merge
    /// service's own (<c>refs/orchestrator/runs/merge/</c>), whatever the task is called; null for a reader.
    /// </summary>
    public string? RunRefPrefix => TaskId is null ? null : $"refs/orchestrator/runs/tasks/{TaskId}/";
}

/// <summary>
/// Credentials for the staging repositories (docs/decisions/0005-staging-repositories.md, "Authentication"). The merge
/// service makes one random key per feature; a credential is an HMAC of (feature, task, attempt) under that key, so
/// whoever holds the key (the saga, from <c>WorkRepositoryPrepared</c>) mints it without I/O and the merge service
/// checks it without a lookup. The form is <c>&lt;feature&gt;.&lt;attempt&gt;.&lt;task, base64url&gt;.&lt;mac, base64url&gt;</c>:
/// the claims travel in clear so the server knows which key and which branch to check against.
/// </summary>
public static class StagingCredentials
{
    private const int KeyBytes = 32;

    // Domain separation: a MAC made for anything else under the same key is never a staging credential.
    private const string Purpose = "orchestrator-staging-credential-v1";

    /// <summary>A new random per-feature key (base64url).</summary>
    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The credential of one task attempt: read the feature's staging repository, push the task's branch.</summary>
    public static string ForTask(string key, Guid featureId, string taskId, int attempt)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return Encode(key, new StagingGrant(featureId, taskId, attempt));
    }

    /// <summary>A read-only credential for the feature's staging repository (the merge service's own).</summary>
    public static string ForReader(string key, Guid featureId) => Encode(key, new StagingGrant(featureId, null, 0));

    /// <summary>The claims of a well-formed credential, unverified; null when it is not one.</summary>
    public static StagingGrant? Read(string? credential) => TryParse(credential, out var grant, out _) ? grant : null;

    /// <summary>Whether <paramref name="credential"/> was minted under <paramref name="key"/>; its claims when it was.</summary>
    public static StagingGrant? Verify(string key, string? credential) =>
        TryParse(credential, out var grant, out var mac) && CryptographicOperations.FixedTimeEquals(mac, Mac(key, grant)) ? grant : null;

    /// <summary>
    /// Environment for git that sends <paramref name="credential"/> to <paramref name="repositoryUrl"/> and nothing
    /// else: an <c>http.&lt;url&gt;.extraheader</c> for that one process, never written to a URL, an argument or a
    /// config file. Null for a repository that is not reached over http(s) (a local path needs no credential).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? GitEnvironment(string repositoryUrl, string? credential)
    {
        if (credential is null || !Uri.TryCreate(repositoryUrl, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        if (Read(credential) is null)
        {
            // Also keeps a line break from smuggling a second header into git's request.
            throw new ArgumentException("Not a staging credential.", nameof(credential));
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = $"http.{url.GetLeftPart(UriPartial.Path)}.extraheader",
            ["GIT_CONFIG_VALUE_0"] = $"Authorization: Bearer {credential}",
        };
    }

    private static string Encode(string key, StagingGrant grant) =>
        string.Join('.',
            grant.FeatureId.ToString("N"),
            grant.Attempt.ToString(CultureInfo.InvariantCulture),
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(grant.TaskId ?? string.Empty)),
            Base64Url.EncodeToString(Mac(key, grant)));

    private static byte[] Mac(string key, StagingGrant grant)
    {
        if (!TryDecode(key, out var secret) || secret.Length < KeyBytes)
        {
            throw new ArgumentException("Not a staging key.", nameof(key));
        }

        var claims = string.Join('\n', Purpose, grant.FeatureId.ToString("N"),
            grant.Attempt.ToString(CultureInfo.InvariantCulture), grant.TaskId ?? string.Empty);
        return HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(claims));
    }

    private static bool TryParse(string? credential, out StagingGrant grant, out byte[] mac)
    {
        grant = new StagingGrant(Guid.Empty, null, 0);
        mac = [];
        var parts = credential is not null && credential.All(IsTokenChar) ? credential.Split('.') : null;
        if (parts is not { Length: 4 }
            || !Guid.TryParseExact(parts[0], "N", out var featureId)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            || !TryDecode(parts[2], out var task)
            || !TryDecode(parts[3], out mac))
        {
            return false;
        }

        var taskId = task.Length == 0 ? null : Encoding.UTF8.GetString(task);
        grant = new StagingGrant(featureId, taskId, attempt);
        return (taskId is null) == (attempt == 0);
    }

    // base64url and the separator only: nothing that could end a header line or hide in whitespace.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (!text.All(IsTokenChar) || !Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }
}
