namespace Orchestrator.Workspaces;

// Agent processes must never see the service's secrets (forge tokens, model keys), and MSBuild
// variables leaking from a parent `dotnet test` break nested builds, so nothing is inherited by default.
internal static class ProcessEnvironment
{
    private static readonly string[] Inherited =
    [
        "PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ",
        "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_PACKAGES", "NUGET_CERT_REVOCATION_MODE",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        // Where to find trusted certificate authorities (a company's private CA): paths, not secrets.
        "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "SSL_CERT_FILE", "SSL_CERT_DIR",
    ];

    // Build servers and node reuse outlive the build and keep our output pipes open; prompts would hang forever.
    private static readonly (string Name, string Value)[] Forced =
    [
        ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
        ("DOTNET_NOLOGO", "1"),
        ("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1"),
        ("MSBUILDDISABLENODEREUSE", "1"),
        ("DOTNET_CLI_USE_MSBUILD_SERVER", "0"),
        ("UseSharedCompilation", "false"),
        ("GIT_TERMINAL_PROMPT", "0"),
    ];

    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string>? extra)
    {
        target.Clear();

        foreach (var name in Inherited)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                target[name] = value;
            }
        }

        foreach (var (name, value) in Forced)
        {
            target[name] = value;
        }

        if (extra is null)
        {
            return;
        }

        foreach (var (name, value) in extra)
        {
            target[name] = value;
        }
    }
}
