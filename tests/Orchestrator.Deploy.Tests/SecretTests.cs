using System.Text.RegularExpressions;
using Orchestrator.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests;

/// <summary>Secrets reach the pods by reference only; no manifest carries a credential.</summary>
public sealed partial class SecretTests(Kustomize kustomize)
{
    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void Every_secret_looking_variable_comes_from_a_secret_reference(string overlay)
    {
        var variables = kustomize.Overlay(overlay).Workloads
            .SelectMany(w => w.AllContainers.SelectMany(c => c.Items("env")).Select(e => (Workload: w, Variable: e)))
            .Where(e => SecretLookingName().IsMatch(e.Variable.Text("name")!))
            .ToList();

        // The broker's and the database's passwords, the connection strings, the forge token, the webhook secret.
        Assert.True(variables.Count >= 10, $"{overlay}: only {variables.Count} secret-looking variables; the pattern no longer finds them.");
        foreach (var (workload, variable) in variables)
        {
            var name = $"{overlay}: {workload} {variable.Text("name")}";
            Assert.True(variable.Text("value") is null, $"{name} has a literal value.");
            Assert.False(string.IsNullOrEmpty(variable.Text("valueFrom", "secretKeyRef", "name")), $"{name} is not a secretKeyRef.");
            Assert.False(string.IsNullOrEmpty(variable.Text("valueFrom", "secretKeyRef", "key")), $"{name} names no key.");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void No_credential_is_written_into_any_object_but_a_generated_secret(string overlay)
    {
        foreach (var item in kustomize.Overlay(overlay).Objects.Where(o => o.Kind != "Secret"))
        {
            foreach (var (key, value) in item.Root.Scalars())
            {
                Assert.False(CredentialInText().IsMatch(value), $"{overlay}: {item} holds a credential in '{key}'.");
                Assert.False(key is not null && SecretLookingName().IsMatch(key) && !IsReferenceField(key) && value is not ("true" or "false"),
                    $"{overlay}: {item} sets '{key}' to a literal value.");
            }
        }
    }

    [Fact]
    public void Production_creates_no_secret_and_only_references_them()
    {
        var production = kustomize.Overlay("production");
        Assert.Empty(production.OfKind("Secret"));
        Assert.Contains(ReferencedSecrets(production), r => r.Name == "orchestrator-messaging");
    }

    [Fact]
    public void Dev_creates_every_secret_a_pod_needs_from_its_git_ignored_files()
    {
        var dev = kustomize.Overlay("dev");
        var created = dev.OfKind("Secret").ToDictionary(s => s.Name, s => s.Root.Map("data"));
        foreach (var (name, key, optional) in ReferencedSecrets(dev).Where(r => !r.Optional))
        {
            Assert.True(created.TryGetValue(name, out var data), $"dev: no Secret {name}, which a pod needs.");
            Assert.True(key is null || data.ContainsKey(key), $"dev: Secret {name} has no key {key}.");
        }

        // The files they come from are never committed.
        var ignore = File.ReadAllText(Path.Combine(SourceTree.Root, "deploy", "kubernetes", "overlays", "dev", "secrets", ".gitignore"));
        Assert.Contains("*.env", ignore.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void Dev_secrets_give_the_services_the_credentials_the_broker_and_database_are_created_with()
    {
        var dev = kustomize.Overlay("dev");
        string Value(string secret, string key) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            dev.OfKind("Secret").Single(s => s.Name.StartsWith(secret + "-", StringComparison.Ordinal)).Root.Text("data", key)!));

        var broker = $"{Value("rabbitmq", "username")}:{Value("rabbitmq", "password")}@rabbitmq";
        Assert.StartsWith($"amqp://{broker}:5672/", Value("orchestrator-messaging", "connection-string"));
        Assert.StartsWith($"http://{broker}:15672/", Value("orchestrator-messaging", "management-uri"));
        var vhost = dev.Single("StatefulSet", "rabbitmq").Containers.Single().Items("env").Single(e => e.Text("name") == "RABBITMQ_DEFAULT_VHOST").Text("value");
        Assert.EndsWith($"/{vhost}", Value("orchestrator-messaging", "connection-string"));

        var state = Value("orchestrator-state", "connection-string");
        Assert.Contains($"Username={Value("postgres", "username")};", state);
        Assert.Contains($"Password={Value("postgres", "password")}", state);
        Assert.StartsWith("Host=postgres;", state);
        Assert.True(Value("postgres", "password").Length >= 24, "dev: the generated password is short.");
    }

    /// <summary>Every Secret a pod or KEDA refers to: (name, key or null for envFrom, optional).</summary>
    private static IEnumerable<(string Name, string? Key, bool Optional)> ReferencedSecrets(RenderedOverlay overlay)
    {
        foreach (var container in overlay.Workloads.SelectMany(w => w.AllContainers))
        {
            foreach (var reference in container.Items("env").Select(e => e.At("valueFrom", "secretKeyRef")).OfType<YamlNode>())
            {
                yield return (reference.Text("name")!, reference.Text("key"), reference.Text("optional") == "true");
            }

            foreach (var reference in container.Items("envFrom").Select(e => e.At("secretRef")).OfType<YamlNode>())
            {
                yield return (reference.Text("name")!, null, reference.Text("optional") == "true");
            }
        }

        foreach (var reference in overlay.OfKind("TriggerAuthentication").SelectMany(t => t.Root.Items("spec", "secretTargetRef")))
        {
            yield return (reference.Text("name")!, reference.Text("key"), false);
        }
    }

    // Fields that hold the name of a secret or of its key, not its value.
    private static bool IsReferenceField(string key) => key is "secretName" or "parameter";

    [GeneratedRegex("(?i)(password|passwd|_pass$|token|secret|apikey|api_key|__keys__|connectionstrings__|credential)")]
    private static partial Regex SecretLookingName();

    // A URI with a password (scheme://user:password@host), or a key=value pair of a password or token.
    [GeneratedRegex(@"(?i)([a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@)|((password|pwd|token|secret)\s*[=:]\s*(?!true\b|false\b)[^\s;""<>{}$]+)")]
    private static partial Regex CredentialInText();
}
