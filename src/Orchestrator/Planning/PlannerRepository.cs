using System.Text;
using Orchestrator.Contracts;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Planning;

/// <summary>
/// The planner's read-only view of the feature's base branch: a fresh clone of the work repository (through the
/// staging server, with the feature's read-only credential given to git only as a per-process header), the
/// repository's instruction files and the read-only tools over it. Nothing in it is run: a clone runs no repository
/// code (hooks are not cloned). The clone is deleted when planning ends.
/// </summary>
public sealed partial class PlannerRepository : IAsyncDisposable
{
    private const int MaxNestedAgentsFiles = 20;

    private readonly string _directory;
    private readonly ILogger _logger;

    private PlannerRepository(string directory, WorkspaceRoot root, PlannerOptions options, ILogger logger)
    {
        _directory = directory;
        _logger = logger;
        Root = root;
        Instructions = RepositoryInstructions.Read(root, []);
        NestedAgentsFiles = FindNestedAgentsFiles(root);
        Tools = options.MaxToolCalls > 0 ? new RepositoryReadingPlugin(root, options.MaxToolCalls, options.MaxToolOutputChars) : null;
    }

    public WorkspaceRoot Root { get; }

    /// <summary>The root's instruction files, as every agent without files of its own gets them too.</summary>
    public RepositoryInstructions Instructions { get; }

    /// <summary><c>AGENTS.md</c> files in sub-folders (they apply to the tasks working there).</summary>
    public IReadOnlyList<string> NestedAgentsFiles { get; }

    /// <summary>The read-only tools; null when exploration is off (<see cref="PlannerOptions.MaxToolCalls"/> 0).</summary>
    public RepositoryReadingPlugin? Tools { get; }

    /// <summary>
    /// Clones the base branch of <see cref="PlanFeature.WorkRepository"/>; null for a request that names none, or when
    /// reading is off (<see cref="PlannerOptions.ReadRepository"/>).
    /// </summary>
    public static async Task<PlannerRepository?> OpenAsync(
        ProcessRunner processes, PlannerOptions options, PlanFeature message, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.ReadRepository || message.WorkRepository is not { } repository)
        {
            return null;
        }

        var directory = Path.Combine(Path.GetFullPath(options.WorkRoot), $"{message.FeatureId:N}-{Guid.NewGuid():N}");
        try
        {
            var credential = StagingCredentials.GitEnvironment(repository, message.ReadCredential);
            await GitRepository.CloneAsync(processes, repository, message.BaseBranch, directory, credential, cancellationToken);
            return new PlannerRepository(directory, new WorkspaceRoot(directory), options, logger);
        }
        catch
        {
            Delete(directory, logger);
            throw;
        }
    }

    /// <summary>What the planner is told about the repository before the request: its guidance and how to explore.</summary>
    public string Briefing()
    {
        var briefing = new StringBuilder();
        if (Tools is not null)
        {
            briefing.AppendLine("You can read the base branch before you plan, with read-only tools: repository_list_files, repository_read_file and")
                .AppendLine($"repository_search (at most {Tools.MaxCalls} calls). Look at what the plan depends on (the files to change, their")
                .AppendLine("signatures, the tests' layout), then plan.")
                .AppendLine();
        }

        if (Instructions.Files.Count > 0)
        {
            briefing.AppendLine(Instructions.ToPrompt());
        }

        if (NestedAgentsFiles.Count > 0)
        {
            briefing.AppendLine($"Sub-folders have their own AGENTS.md ({string.Join(", ", NestedAgentsFiles)}): each agent is given the one nearest")
                .AppendLine("to its task's files.")
                .AppendLine();
        }

        return briefing.ToString();
    }

    public ValueTask DisposeAsync()
    {
        Delete(_directory, _logger);
        return ValueTask.CompletedTask;
    }

    private static IReadOnlyList<string> FindNestedAgentsFiles(WorkspaceRoot root)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            MatchCasing = MatchCasing.CaseSensitive,
        };
        return Directory.EnumerateFiles(root.Directory, RepositoryInstructions.AgentsFileName, options)
            .Select(root.ToRelative)
            .Where(path => path.Contains('/', StringComparison.Ordinal) && !path.StartsWith(".git/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Take(MaxNestedAgentsFiles)
            .Select(UntrustedText.StripHidden)
            .ToList();
    }

    private static void Delete(string directory, ILogger logger)
    {
        if (WorkspaceDirectory.TryDelete(directory) is { } error)
        {
            LogCleanupFailed(logger, directory, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the planner's clone {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}
