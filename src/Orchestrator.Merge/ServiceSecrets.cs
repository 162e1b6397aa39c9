using System.Data.Common;
using System.Text.RegularExpressions;

namespace Orchestrator.Merge;

/// <summary>
/// The secret values in this service's configuration — the forge token, the broker's and the database's passwords, a
/// model key that reached it, API and staging keys — found by name, so a secret added later is covered without
/// anyone remembering to list it here.
/// </summary>
public static partial class ServiceSecrets
{
    private const string ConnectionStrings = "ConnectionStrings";

    public static IReadOnlyList<string> In(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (key.StartsWith(ConnectionStrings + ":", StringComparison.OrdinalIgnoreCase))
            {
                secrets.AddRange(InConnectionString(value));
            }
            else if (key.Split(':').Any(segment => SecretName().IsMatch(segment)))
            {
                secrets.Add(value);
            }
        }

        return secrets.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The password of a URL (<c>amqp://user:password@host</c>) and secret-named parts of <c>Key=Value;</c> strings.</summary>
    public static IEnumerable<string> InConnectionString(string connectionString)
    {
        if (Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, var password])
        {
            return [Uri.UnescapeDataString(password)];
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
            .Where(name => SecretName().IsMatch(name.Replace(" ", string.Empty, StringComparison.Ordinal)))
            .Select(name => Convert.ToString(builder[name], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
            .Where(value => value.Length > 0)
            .ToList();
    }

    // Token, ApiKey, Password, Pwd, Secret, ClientSecret, Key, Keys (Api:Keys:<name>), GITHUB_TOKEN, OPENAI_API_KEY…
    [GeneratedRegex(@"(token|password|pwd|secret|api_?key|^keys?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
