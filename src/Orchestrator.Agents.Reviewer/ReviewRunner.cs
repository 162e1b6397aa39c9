using System.Diagnostics;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Agents.Transcripts;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Reviewer;

/// <summary>
/// Carries out one review attempt: a fresh clone of the work repository at the verified commit, the merged diff against
/// the base branch, the model's read-only tool loop, and its answer parsed as a review (asked again once when it is not
/// one). Reports <see cref="FeatureReviewed"/>, or <see cref="TaskFailed"/> with the reason; liveness, deadline,
/// cancellation and transcript are the agent runtime's, as for every task. Nothing is committed or pushed.
/// </summary>
public sealed partial class ReviewRunner(
    AgentRoleDefinition role,
    ChatModelFactory models,
    ProcessRunner processes,
    IRepositoryCommandRunner commands,
    AgentAttempt attempt,
    IOptions<AgentOptions> options,
    IServiceProvider services,
    ILogger<ReviewRunner> logger)
{
    public Task RunAsync(ConsumeContext context, ReviewFeature review)
    {
        var task = review.Task;
        LogStarting(logger, task.TaskId, task.Attempt, task.FeatureId, review.Commit);
        return attempt.RunAsync(context, task, async scope =>
        {
            var report = await ReviewAsync(review, scope.Workspace, scope.Meter, scope.Transcript, scope.Token);
            LogReviewed(logger, task.TaskId, report.Verdict, report.Findings.Count);
            return new FeatureReviewed(task.FeatureId, task.TaskId, task.Attempt, report, scope.Meter.Total);
        });
    }

    private async Task<ReviewReport> ReviewAsync(
        ReviewFeature review, string workspace, UsageMeter meter, TaskTranscript transcript, CancellationToken cancellationToken)
    {
        var task = review.Task;
        Directory.CreateDirectory(Path.GetDirectoryName(workspace)!);
        // A reader's credential: the reviewer can clone the staging repository and push nothing.
        var credential = StagingCredentials.GitEnvironment(task.Repository, task.StagingCredential);
        var git = await GitRepository.CloneAsync(processes, task.Repository, task.BaseBranch, workspace, credential, cancellationToken);
        var baseCommit = await git.HeadAsync(cancellationToken);
        await git.FetchAsync(task.Branch, cancellationToken);
        var tip = await git.ResolveAsync($"origin/{task.Branch}", cancellationToken);
        if (!string.Equals(tip, review.Commit, StringComparison.OrdinalIgnoreCase))
        {
            throw new AgentTaskException($"the review branch {task.Branch} is at {tip}, not at the verified commit {review.Commit}");
        }

        await git.CreateBranchAtAsync(task.Branch, review.Commit, cancellationToken);
        var (diff, cut) = await DiffAsync(git, baseCommit, review.Commit, cancellationToken);
        var activity = new ToolActivityLog(logger, task.TaskId) { Transcript = transcript };
        var root = new WorkspaceRoot(workspace);
        // The repository's instructions for the files the feature changed, as the agents that changed them had them.
        var instructions = RepositoryInstructions.Read(root, ReviewPrompt.FilesIn(diff));
        return await AskAsync(task, ReviewPrompt.For(review, diff, cut, instructions), root, meter, activity, cancellationToken);
    }

    /// <summary>The merged diff, read only as far as the prompt holds it.</summary>
    private static async Task<(string Diff, bool Cut)> DiffAsync(GitRepository git, string from, string to, CancellationToken cancellationToken)
    {
        var diff = new StringBuilder();
        var cut = false;
        await git.ReadDiffAsync(from, to, async (reader, ct) =>
        {
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            {
                if (diff.Length + read > ReviewPrompt.MaxDiffChars)
                {
                    diff.Append(buffer, 0, ReviewPrompt.MaxDiffChars - diff.Length);
                    cut = true;
                    return;
                }

                diff.Append(buffer, 0, read);
            }
        }, cancellationToken);
        return (diff.ToString(), cut);
    }

    /// <summary>The model's tool loop, then its answer as a review; an answer that is not one is corrected once, then fails.</summary>
    private async Task<ReviewReport> AskAsync(
        TaskAssignment task, string prompt, WorkspaceRoot root, UsageMeter meter, ToolActivityLog activity, CancellationToken cancellationToken)
    {
        using var client = await models.CreateAsync(
            task.Model, new ModelConversation(task.FeatureId, task.TaskId, task.Attempt), meter, activity.Transcript, cancellationToken);
        var kernel = new Kernel(services);
        if (activity.Transcript is { } transcript)
        {
            kernel.AutoFunctionInvocationFilters.Add(transcript);
        }

        // The role's tool set (Roles:reviewer:Tools; by default looking, building and testing): no change it made would be pushed anyway.
        kernel.Plugins.Add(WorkspaceTools.Plugin(new WorkspacePlugin(root, commands, options.Value, activity), role.Tools));
        var history = new ChatHistory(role.SystemPrompt);
        history.AddUserMessage(prompt);
        var chat = client.AsChatCompletionService(services);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var problem = string.Empty;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var reply = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken);
            history.Add(reply);
            if (ReviewAnswer.Parse(reply.Content ?? string.Empty, out problem) is { } report)
            {
                return report;
            }

            LogInvalidAnswer(logger, task.TaskId, attempt, problem);
            history.AddUserMessage(ReviewPrompt.Correction(problem));
        }

        throw new AgentTaskException($"the reviewer's answer was not a valid review, twice: {problem}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reviewer starting {TaskId} attempt {Attempt} of feature {FeatureId} at {Commit}")]
    private static partial void LogStarting(ILogger logger, string taskId, int attempt, Guid featureId, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reviewer finished {TaskId}: {Verdict} with {Findings} findings")]
    private static partial void LogReviewed(ILogger logger, string taskId, ReviewVerdict verdict, int findings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reviewer {TaskId}: answer {Attempt} is not a valid review: {Problem}")]
    private static partial void LogInvalidAnswer(ILogger logger, string taskId, int attempt, string problem);
}
