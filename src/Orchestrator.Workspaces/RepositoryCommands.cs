using System.Text.Json;

namespace Orchestrator.Workspaces;

/// <summary>A command of the repository itself, run without a shell.</summary>
public sealed record RepositoryCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The command as a person would type it, e.g. "dotnet test".</summary>
    public override string ToString() => CommandLine.Format(FileName, Arguments);
}

/// <summary>How a repository is built and tested; either may be unknown (null).</summary>
public sealed record RepositoryCommands(RepositoryCommand? Build, RepositoryCommand? Test)
{
    public const string ConfigurationFileName = ".orchestrator.json";

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Reads <c>.orchestrator.json</c> at the root when present
    /// (<c>{"build": ["dotnet", "build"], "test": ["dotnet", "test"]}</c>), otherwise detects .NET, npm or make.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration file exists but is not valid.</exception>
    public static RepositoryCommands Detect(string repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        if (!Directory.Exists(repositoryRoot))
        {
            throw new DirectoryNotFoundException($"Repository directory '{repositoryRoot}' does not exist.");
        }

        var configuration = Path.Combine(repositoryRoot, ConfigurationFileName);
        if (File.Exists(configuration))
        {
            return ReadConfiguration(configuration);
        }

        return DetectDotnet(repositoryRoot)
            ?? DetectNpm(repositoryRoot)
            ?? DetectMake(repositoryRoot)
            ?? new RepositoryCommands(null, null);
    }

    private static RepositoryCommands ReadConfiguration(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "the top level must be an object");
            }

            return new RepositoryCommands(
                ReadCommand(path, document.RootElement, "build"),
                ReadCommand(path, document.RootElement, "test"));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    private static RepositoryCommand? ReadCommand(string path, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array
            || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())))
        {
            throw Invalid(path, $"\"{name}\" must be null or a non-empty array of non-empty strings, such as [\"dotnet\", \"{name}\"]");
        }

        var parts = value.EnumerateArray().Select(item => item.GetString()!).ToArray();
        return new RepositoryCommand(parts[0], parts[1..]);
    }

    private static InvalidOperationException Invalid(string path, string reason) =>
        new($"'{path}' is not a valid {ConfigurationFileName}: {reason}.");

    private static RepositoryCommands? DetectDotnet(string root)
    {
        var solutions = FilesAt(root, "*.sln").Concat(FilesAt(root, "*.slnx")).Order(StringComparer.Ordinal).ToList();
        var projects = FilesAt(root, "*.csproj").Order(StringComparer.Ordinal).ToList();
        if (solutions.Count + projects.Count == 0)
        {
            return null;
        }

        // With several candidates `dotnet build` refuses to guess (MSB1011), so name one: a solution covers the most.
        string[] target = solutions.Count + projects.Count == 1 ? [] : [solutions.Count > 0 ? solutions[0] : projects[0]];
        return new RepositoryCommands(
            new RepositoryCommand("dotnet", ["build", .. target]),
            new RepositoryCommand("dotnet", ["test", .. target]));
    }

    private static RepositoryCommands? DetectNpm(string root)
    {
        var manifest = Path.Combine(root, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        var scripts = ReadNpmScripts(manifest);
        var build = scripts.Contains("build") ? new RepositoryCommand("npm", ["run", "build"]) : null;

        // Without a "test" script `npm test` can only fail, which would fail every task for no reason.
        var test = scripts.Contains("test") ? new RepositoryCommand("npm", ["test"]) : null;
        return build is null && test is null ? null : new RepositoryCommands(build, test);
    }

    private static HashSet<string> ReadNpmScripts(string manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest), JsonOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("scripts", out var scripts)
                && scripts.ValueKind == JsonValueKind.Object)
            {
                return scripts.EnumerateObject().Select(script => script.Name).ToHashSet(StringComparer.Ordinal);
            }
        }
        catch (JsonException)
        {
            // Not ours to validate: npm will report a broken package.json when the command runs.
        }

        return [];
    }

    private static RepositoryCommands? DetectMake(string root)
    {
        string[] names = ["GNUmakefile", "makefile", "Makefile"];
        return names.Any(name => File.Exists(Path.Combine(root, name)))
            ? new RepositoryCommands(new RepositoryCommand("make", []), new RepositoryCommand("make", ["test"]))
            : null;
    }

    private static IEnumerable<string> FilesAt(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, SearchOption.TopDirectoryOnly)
            .Select(Path.GetFileName)
            .OfType<string>()
            // EnumerateFiles("*.sln") also matches "*.slnx" style longer extensions on some platforms.
            .Where(name => name.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase));
}
