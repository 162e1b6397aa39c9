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

    // A configuration is a few lines; anything bigger is a mistake or an attack on the reader.
    private const int MaxConfigurationBytes = 64 * 1024;
    private const int MaxManifestBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// The step that downloads what the build needs (<c>dotnet restore</c>), run on its own with the network before an
    /// offline build or test; null when there is none.
    /// </summary>
    public RepositoryCommand? Restore { get; init; }

    /// <summary>
    /// Reads <c>.orchestrator.json</c> at the root when present
    /// (<c>{"build": ["dotnet", "build"], "test": ["dotnet", "test"], "restore": ["dotnet", "restore"]}</c>; without a
    /// "restore" entry a .NET repository gets <c>dotnet restore</c>), otherwise detects .NET, npm or make.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration file exists but is not valid.</exception>
    public static RepositoryCommands Detect(string repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        if (!Directory.Exists(repositoryRoot))
        {
            throw new DirectoryNotFoundException($"Repository directory '{repositoryRoot}' does not exist.");
        }

        // Through the workspace's confinement: a committed link to /dev/zero or to a file outside is refused, not read.
        var root = new WorkspaceRoot(repositoryRoot);
        string configuration;
        try
        {
            configuration = root.Resolve(ConfigurationFileName);
        }
        catch (WorkspacePathException ex)
        {
            throw Invalid(Path.Join(root.Directory, ConfigurationFileName), ex.Message.TrimEnd('.'));
        }

        if (WorkspaceFiles.Exists(configuration))
        {
            return ReadConfiguration(root.Directory, configuration);
        }

        return DetectDotnet(root.Directory)
            ?? DetectNpm(root)
            ?? DetectMake(root.Directory)
            ?? new RepositoryCommands(null, null);
    }

    private static RepositoryCommands ReadConfiguration(string root, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(WorkspaceFiles.ReadAllText(path, ConfigurationFileName, MaxConfigurationBytes), JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "the top level must be an object");
            }

            return new RepositoryCommands(
                ReadCommand(path, document.RootElement, "build"),
                ReadCommand(path, document.RootElement, "test"))
            {
                Restore = document.RootElement.TryGetProperty("restore", out _)
                    ? ReadCommand(path, document.RootElement, "restore")
                    : DetectDotnet(root)?.Restore,
            };
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw Invalid(path, ex.Message.TrimEnd('.'));
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
            new RepositoryCommand("dotnet", ["test", .. target]))
        {
            Restore = new RepositoryCommand("dotnet", ["restore", .. target]),
        };
    }

    private static RepositoryCommands? DetectNpm(WorkspaceRoot root)
    {
        string manifest;
        try
        {
            manifest = root.Resolve("package.json");
        }
        catch (WorkspacePathException)
        {
            return null;
        }

        if (!WorkspaceFiles.Exists(manifest))
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
            using var document = JsonDocument.Parse(WorkspaceFiles.ReadAllText(manifest, "package.json", MaxManifestBytes), JsonOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("scripts", out var scripts)
                && scripts.ValueKind == JsonValueKind.Object)
            {
                return scripts.EnumerateObject().Select(script => script.Name).ToHashSet(StringComparer.Ordinal);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            // Not ours to validate: npm will report a broken (or FIFO, or huge) package.json when the command runs.
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
