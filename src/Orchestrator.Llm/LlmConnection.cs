using System.Data.Common;

namespace Orchestrator.Llm;

/// <summary>Which wire dialect the <c>llm</c> endpoint speaks.</summary>
public enum LlmProvider
{
    /// <summary>Any OpenAI-compatible <c>/chat/completions</c> endpoint: OpenAI, Ollama, vLLM, llama.cpp server, ...</summary>
    OpenAI,

    /// <summary>Azure OpenAI: <c>/openai/deployments/{deployment}/chat/completions?api-version=...</c> with an <c>api-key</c> header.</summary>
    AzureOpenAI,
}

/// <summary>
/// The <c>llm</c> connection string:
/// <c>Endpoint=https://api.openai.com/v1;Key=sk-...;Model=gpt-4o-mini;Provider=openai</c>, or
/// <c>Endpoint=https://name.openai.azure.com;Key=...;Deployment=gpt-4o;Provider=azure-openai;ApiVersion=2024-10-21</c>.
/// <c>Key</c> is optional (local servers); <c>Provider</c> defaults to <c>openai</c> (<c>azure-openai</c> for
/// <c>*.openai.azure.com</c>). Nothing this type says — messages, <see cref="ToString"/> — contains the key.
/// </summary>
public sealed class LlmConnection
{
    public const string DefaultAzureApiVersion = "2024-10-21";

    private static readonly string[] KnownKeys = ["Endpoint", "Key", "ApiKey", "Model", "Deployment", "Provider", "ApiVersion"];

    private LlmConnection(LlmProvider provider, Uri endpoint, string? key, string model, string? deployment, string? apiVersion)
    {
        Provider = provider;
        Endpoint = endpoint;
        Key = key;
        Model = model;
        Deployment = deployment;
        ApiVersion = apiVersion;
    }

    public LlmProvider Provider { get; }

    /// <summary>The base address: for OpenAI-compatible servers the one the paths hang off (e.g. <c>.../v1</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The secret. Internal so that only the request handler that sends it can read it.</summary>
    internal string? Key { get; }

    public bool HasKey => Key is not null;

    /// <summary>The default model (for Azure: the deployment's model label, which defaults to the deployment name).</summary>
    public string Model { get; }

    /// <summary>The Azure deployment; null for OpenAI-compatible endpoints.</summary>
    public string? Deployment { get; }

    /// <summary>The Azure <c>api-version</c>; null for OpenAI-compatible endpoints.</summary>
    public string? ApiVersion { get; }

    public string ProviderName => Provider == LlmProvider.AzureOpenAI ? "azure-openai" : "openai";

    /// <summary>The model requests go to: the requested one, else the connection's default.</summary>
    public string ModelFor(string? requested) =>
        !string.IsNullOrWhiteSpace(requested) ? requested.Trim() : Provider == LlmProvider.AzureOpenAI ? Deployment! : Model;

    /// <summary>The label of a selection, e.g. <c>openai:gpt-4o-mini</c>.</summary>
    public string Describe(string? requested) => $"{ProviderName}:{ModelFor(requested)}";

    /// <summary>
    /// The address the OpenAI client appends <c>chat/completions</c> to. For Azure it is the deployment's, so a
    /// requested model id names another deployment of the same resource.
    /// </summary>
    public Uri ClientEndpointFor(string? requested)
    {
        var root = Endpoint.AbsoluteUri.TrimEnd('/');
        return Provider == LlmProvider.AzureOpenAI
            ? new Uri($"{root}/openai/deployments/{Uri.EscapeDataString(ModelFor(requested))}/")
            : new Uri(root + "/");
    }

    public override string ToString()
    {
        var text = $"Endpoint={Endpoint};Key={(HasKey ? "***" : "(none)")};Provider={ProviderName}";
        return Provider == LlmProvider.AzureOpenAI
            ? $"{text};Deployment={Deployment};Model={Model};ApiVersion={ApiVersion}"
            : $"{text};Model={Model}";
    }

    /// <summary>Parses the connection string or throws <see cref="LlmConnectionException"/> naming the part that is wrong.</summary>
    public static LlmConnection Parse(string? connectionString) =>
        TryParse(connectionString, out var connection, out var error) ? connection : throw new LlmConnectionException(error);

    public static bool TryParse(string? connectionString, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LlmConnection? connection, out string error)
    {
        connection = null;
        error = ReadParts(connectionString, out var parts)
            ?? ReadEndpoint(parts!, out var endpoint)
            ?? ReadProvider(parts!, endpoint!, out var provider)
            ?? Create(parts!, endpoint!, provider, out connection)
            ?? string.Empty;
        return connection is not null;
    }

    private const string Name = "ConnectionStrings:llm";

    // Each step below answers null when its part is right, else the sentence that says what is wrong (never the key).
    private static string? ReadParts(string? connectionString, out IReadOnlyDictionary<string, string> parts)
    {
        parts = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return $"{Name} is empty.";
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The builder's own message may quote the text around the error, which can be the key.
            return $"{Name} is not a list of Name=value pairs separated by ';' " +
                "(e.g. Endpoint=https://api.openai.com/v1;Key=...;Model=gpt-4o-mini;Provider=openai).";
        }

        var unknown = builder.Keys.Cast<string>().Where(k => !KnownKeys.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            return $"{Name} has unknown part(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; the parts are {string.Join(", ", KnownKeys)}.";
        }

        // Blank parts count as absent.
        parts = builder.Keys.Cast<string>()
            .Where(k => builder[k]?.ToString() is { } text && !string.IsNullOrWhiteSpace(text))
            .ToDictionary(k => k, k => builder[k]!.ToString()!.Trim(), StringComparer.OrdinalIgnoreCase);
        if (parts.ContainsKey("Key") && parts.ContainsKey("ApiKey"))
        {
            return $"{Name} has both Key and ApiKey; give one.";
        }

        return null;
    }

    private static string? ReadEndpoint(IReadOnlyDictionary<string, string> parts, out Uri? endpoint)
    {
        endpoint = null;
        if (!parts.TryGetValue("Endpoint", out var text))
        {
            return $"{Name} has no Endpoint (e.g. Endpoint=https://api.openai.com/v1 or http://localhost:11434/v1).";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            return $"{Name} has an Endpoint that is not an absolute http(s) URL.";
        }

        // Credentials belong in Key; a query or fragment would be silently dropped from every request.
        return !string.IsNullOrEmpty(endpoint.UserInfo) || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment)
            ? $"{Name} has an Endpoint with user info, a query or a fragment; put the key in Key= and give only scheme, host, port and path."
            : null;
    }

    private static string? ReadProvider(IReadOnlyDictionary<string, string> parts, Uri endpoint, out LlmProvider provider)
    {
        var text = parts.GetValueOrDefault("Provider");
        provider = text?.ToLowerInvariant() switch
        {
            null => endpoint.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) ? LlmProvider.AzureOpenAI : LlmProvider.OpenAI,
            "openai" or "openai-compatible" => LlmProvider.OpenAI,
            "azure-openai" or "azureopenai" or "azure" => LlmProvider.AzureOpenAI,
            _ => (LlmProvider)(-1),
        };
        return Enum.IsDefined(provider)
            ? null
            : $"{Name} has Provider '{text}'; the providers are openai (any OpenAI-compatible endpoint) and azure-openai.";
    }

    private static string? Create(IReadOnlyDictionary<string, string> parts, Uri endpoint, LlmProvider provider, out LlmConnection? connection)
    {
        connection = null;
        var key = parts.GetValueOrDefault("Key") ?? parts.GetValueOrDefault("ApiKey");
        var model = parts.GetValueOrDefault("Model");
        var deployment = parts.GetValueOrDefault("Deployment");
        if (provider == LlmProvider.OpenAI)
        {
            if (model is null)
            {
                return $"{Name} has no Model (e.g. Model=gpt-4o-mini, or the name your local server serves).";
            }

            if (deployment is not null || parts.ContainsKey("ApiVersion"))
            {
                return $"{Name}: Deployment and ApiVersion are for Provider=azure-openai only.";
            }

            connection = new LlmConnection(provider, endpoint, key, model, null, null);
            return null;
        }

        if (deployment is null)
        {
            return $"{Name} has Provider=azure-openai but no Deployment (the name of the model deployment).";
        }

        if (key is null)
        {
            return $"{Name} has Provider=azure-openai but no Key.";
        }

        connection = new LlmConnection(provider, endpoint, key, model ?? deployment, deployment, parts.GetValueOrDefault("ApiVersion") ?? DefaultAzureApiVersion);
        return null;
    }
}

/// <summary>The <c>llm</c> connection string is invalid; the message names the part, never the key.</summary>
public sealed class LlmConnectionException(string message) : Exception(message);
