using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Orchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Distinct random secrets planted where the system's real secrets live, before it starts: if one shows up anywhere
/// it must not (a commit, the pull request, a prompt, a log line, a bus message), its value says where it came from.
/// Each is <c>CANARY-&lt;purpose&gt;-&lt;32 hex&gt;</c>: no real credential looks like it, so a hit is never a false alarm.
/// </summary>
public sealed class SecretCanaries
{
    /// <summary>
    /// A variable of the AppHost's process. Aspire's DCP hands its whole environment on to every service, so this is
    /// where an operator's exported secrets (cloud keys, tokens) end up in each service's <c>/proc/&lt;pid&gt;/environ</c>.
    /// </summary>
    public const string EnvironmentVariable = "ORCHESTRATOR_E2E_CANARY";

    private readonly List<string> _plantedFiles = [];

    /// <summary>The key of the model endpoint (<c>ConnectionStrings:llm</c>, <c>Key=</c>): the orchestrator and the agents.</summary>
    public string LlmKey { get; } = New("llm-key");

    /// <summary>The GitHub token (<c>Parameters:github-token</c>, given to the merge service as <c>Forge:GitHub:Token</c>).</summary>
    public string ForgeToken { get; } = New("forge-token");

    /// <summary>GitHub's webhook secret (<c>Parameters:github-webhook-secret</c>): the orchestrator only, to check signatures.</summary>
    public string WebhookSecret { get; } = New("webhook-secret");

    /// <summary>The API's key (<c>Api:Keys:e2e</c>): the orchestrator only; the tests send it as their bearer token.</summary>
    public string ApiKey { get; } = New("api-key");

    /// <summary>In <see cref="EnvironmentVariable"/>, so in every service's environment.</summary>
    public string Environment { get; } = New("environment");

    /// <summary>In the AppHost's user-secrets folder.</summary>
    public string UserSecrets { get; } = New("user-secrets");

    /// <summary>In a file of its own in <c>$HOME</c>.</summary>
    public string HomeFile { get; } = New("home-file");

    /// <summary>Where the user-secrets canary was written (<c>secrets.json</c> itself only when there was none).</summary>
    public string UserSecretsPath { get; private set; } = string.Empty;

    /// <summary>Where the <c>$HOME</c> canary was written.</summary>
    public string HomeFilePath { get; private set; } = string.Empty;

    /// <summary>Every canary by where it was planted.</summary>
    public IReadOnlyDictionary<string, string> ByLocation => new Dictionary<string, string>
    {
        ["model endpoint key (ConnectionStrings:llm)"] = LlmKey,
        ["forge token (Forge:GitHub:Token)"] = ForgeToken,
        ["API key (Api:Keys:e2e)"] = ApiKey,
        ["webhook secret (Webhooks:GitHub:Secret)"] = WebhookSecret,
        [$"every service's environment ({EnvironmentVariable})"] = Environment,
        [$"user secrets ({UserSecretsPath})"] = UserSecrets,
        [$"$HOME ({HomeFilePath})"] = HomeFile,
    };

    /// <summary>Plants the canaries that live outside the AppHost's arguments: the environment, user secrets, <c>$HOME</c>.</summary>
    public void Plant()
    {
        System.Environment.SetEnvironmentVariable(EnvironmentVariable, Environment);

        var secretsId = typeof(Orchestrator.AppHost.ResourceNames).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId;
        var secrets = PathHelper.GetSecretsPathFromSecretsId(secretsId);
        // Someone's real user secrets are never rewritten: the canary then goes in a file beside them.
        UserSecretsPath = File.Exists(secrets)
            ? Path.Combine(Path.GetDirectoryName(secrets)!, $"canary-{Suffix()}.json")
            : secrets;
        PlantFile(UserSecretsPath, JsonSerializer.Serialize(new Dictionary<string, string> { ["Canary:UserSecrets"] = UserSecrets }));

        HomeFilePath = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), $".orchestrator-canary-{Suffix()}");
        PlantFile(HomeFilePath, HomeFile + "\n");
    }

    /// <summary>Removes what <see cref="Plant"/> wrote; a folder it had to create for user secrets stays (harmless, empty).</summary>
    public void Remove()
    {
        System.Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        foreach (var file in _plantedFiles)
        {
            File.Delete(file);
        }

        _plantedFiles.Clear();
    }

    /// <summary>The locations of the canaries that occur in <paramref name="text"/>.</summary>
    public IReadOnlyList<string> FoundIn(string text) =>
        ByLocation.Where(canary => text.Contains(canary.Value, StringComparison.Ordinal)).Select(canary => canary.Key).ToList();

    private void PlantFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Readable by anyone, as files in $HOME often are: only the sandbox's mounts, not file modes, may keep it out.
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        _plantedFiles.Add(path);
    }

    private static string New(string purpose) => $"CANARY-{purpose}-{Suffix()}";

    private static string Suffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
