using System.Data.Common;
using System.Text.RegularExpressions;

namespace Orchestrator.Merge;

/// <summary>A secret value of this service and the setting it came from: a finding names the setting, never the value.</summary>
public sealed record ServiceSecret(string Setting, string Value);

/// <summary>
/// The secret values in this service's configuration — the forge token, the broker's and the database's passwords, a
/// model key that reached it, API and staging keys — found by name, so a secret added later is covered without
/// anyone remembering to list it here.
/// </summary>
public static partial class ServiceSecrets
{
    private const string ConnectionStrings = "ConnectionStrings";

    public static IReadOnlyList<ServiceSecret> In(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<ServiceSecret>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (key.StartsWith(ConnectionStrings + ":", StringComparison.OrdinalIgnoreCase))
            {
                secrets.AddRange(InConnectionString(value).Select(secret => new ServiceSecret($"{key} ({secret.Part})", secret.Value)));
            }
            else if (key.Split(':').Any(segment => SecretName().IsMatch(segment)))
            {
                secrets.Add(new ServiceSecret(key, value));
            }
        }

        return secrets.DistinctBy(secret => secret.Value, StringComparer.Ordinal).ToList();
    }

    /// <summary>The password of a URL (<c>amqp://user:password@host</c>) and secret-named parts of <c>Key=Value;</c> strings.</summary>
    public static IEnumerable<(string Part, string Value)> InConnectionString(string connectionString)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, var password])
        {
            return [("password", Uri.UnescapeDataString(password))];
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Not a Key=Value string; it holds no named secret.
            return [];
        }

        return builder.Keys.Cast<string>()
            .Where(name => SecretPart().IsMatch(name.Replace(" ", string.Empty, StringComparison.Ordinal)))
            .Select(name => (name, Convert.ToString(builder[name], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty))
            .Where(secret => secret.Item2.Length > 0)
            .ToList();
    }

    // Token, ApiKey, Password, Secret, ClientSecret, Key, Keys (Api:Keys:<name>), GITHUB_TOKEN, OPENAI_API_KEY… Not "pwd":
    // as a setting that is the shell's working directory (PWD, OLDPWD), found in every environment.
    [GeneratedRegex(@"(token|password|secret|api_?key|^keys?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    // Inside a connection string "Pwd=" is a password.
    [GeneratedRegex(@"(token|password|^pwd|secret|api_?key|^keys?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPart();
}
