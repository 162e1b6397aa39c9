using System.Net;
using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Persistence.Transcripts;
using Orchestrator.Planning;
using Orchestrator.Workspaces;

namespace Orchestrator.Consumers;

/// <summary>
/// The orchestrator agent's planner: turns a feature request into a validated task graph. An invalid plan goes back
/// to the model with what is wrong, up to <see cref="PlannerOptions.MaxAttempts"/> plans; a model endpoint that fails
/// for good rejects the plan with the reason rather than faulting the message. A feature asked for again gets its
/// first answer again, without a model call (<see cref="PlannerAnswers"/>). Before it plans, the planner may read the
/// base branch with bounded read-only tools and is given the repository's instruction files (<see cref="PlannerRepository"/>);
/// its model turns and tool calls are kept as the feature's <c>planner</c> transcript.
/// </summary>
public sealed partial class PlanFeatureConsumer(
    ChatModelFactory models,
    PlannerAnswers answers,
    PlannerRoles roles,
    IOptions<PlannerOptions> options,
    ProcessRunner processes,
    TimeProvider time,
    IServiceProvider services,
    ILogger<PlanFeatureConsumer> logger) : IConsumer<PlanFeature>
{
    private static readonly Lazy<string> SystemPrompt = new(() => EmbeddedPrompt.Read(typeof(PlanFeatureConsumer).Assembly, "planner.md"));

    public async Task Consume(ConsumeContext<PlanFeature> context)
    {
        var message = context.Message;
        var (answer, repeated) = await answers.GetOrAnswerAsync(
            message.FeatureId, () => AnswerAsync(message, context.CancellationToken), context.CancellationToken);
        if (repeated)
        {
            LogAnsweredAgain(logger, message.FeatureId, answer.GetType().Name);
        }

        await context.Publish(answer, answer.GetType());
    }

    /// <summary>The plan, or why there is none, with the tokens spent either way.</summary>
    private async Task<object> AnswerAsync(PlanFeature message, CancellationToken cancellationToken)
    {
        // Each exploring turn makes at least one tool call: the turns are bounded by the tool calls, one refused call
        // and the plans allowed.
        var meter = new UsageMeter(options.Value.MaxToolCalls + options.Value.MaxAttempts + 1, scope: "plan");
        try
        {
            var outcome = await PlanAsync(message, meter, cancellationToken);
            if (outcome.Plan is not { } plan)
            {
                return Reject(message, outcome.Rejection!, meter);
            }

            LogPlanned(logger, message.FeatureId, plan.Tasks.Count, message.Model.Description);
            return new FeaturePlanned(message.FeatureId, plan.Title!, plan.Summary ?? string.Empty, plan.Interface, plan.Tasks, meter.Total)
            {
                InstructionFiles = outcome.InstructionFiles,
            };
        }
        catch (Exception ex) when (ex is ModelEndpointException or ModelDeviceException or LlmConnectionException or ModelCallLimitException)
        {
            return Reject(message, ex.Message, meter);
        }
        catch (GitCommandException ex)
        {
            return Reject(message, $"the planner could not read the base branch: {ex.Message}", meter);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Planning is never run again behind the saga's back (it costs tokens): an unexpected failure rejects the
            // plan with the reason; the stack trace goes to the log.
            LogPlannerCrashed(logger, ex, message.FeatureId);
            return Reject(message, $"the planner failed unexpectedly: {ex.GetType().Name}: {ex.Message}", meter);
        }
    }

    private sealed record Outcome(ParsedPlan? Plan, string? Rejection)
    {
        public IReadOnlyList<string> InstructionFiles { get; init; } = [];
    }

    private async Task<Outcome> PlanAsync(PlanFeature message, UsageMeter meter, CancellationToken cancellationToken)
    {
        await using var repository = await PlannerRepository.OpenAsync(processes, options.Value, message, logger, cancellationToken);
        var transcript = services.GetService<TaskTranscriptStore>() is { } store
            ? new PlannerTranscript(message.FeatureId, message.Model.Description, message.ReadCredential is { } c ? [c] : [], store, time, logger)
            : null;
        try
        {
            var outcome = await ConverseAsync(message, repository, meter, transcript, cancellationToken);
            return outcome with { InstructionFiles = repository?.Instructions.Paths ?? [] };
        }
        finally
        {
            if (transcript is not null)
            {
                await transcript.SaveAsync(cancellationToken);
            }
        }
    }

    private async Task<Outcome> ConverseAsync(
        PlanFeature message, PlannerRepository? repository, UsageMeter meter, PlannerTranscript? transcript, CancellationToken cancellationToken)
    {
        using var client = await models.CreateAsync(
            message.Model, new ModelConversation(message.FeatureId, ModelConversation.Planner, Run: 1), meter, transcript, cancellationToken);
        var chat = client.AsChatCompletionService(services);
        var tools = repository?.Tools;
        var kernel = KernelFor(tools, transcript);
        var history = new ChatHistory(SystemPrompt.Value);
        history.AddSystemMessage(roles.Text);
        history.AddUserMessage(
            $"""
            Repository: {message.Repository} (base branch {message.BaseBranch})

            {repository?.Briefing()}Feature request:
            {message.Request}
            """);

        var maxAttempts = options.Value.MaxAttempts;
        var structured = options.Value.StructuredOutput;
        var problems = string.Empty;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            ChatMessageContent reply;
            try
            {
                reply = await chat.GetChatMessageContentAsync(history, Settings(structured, tools is { Exhausted: false }), kernel, cancellationToken);
            }
            catch (ModelEndpointException ex) when (structured && ex.StatusCode == HttpStatusCode.BadRequest)
            {
                // Not every OpenAI-compatible server takes a JSON schema; the tolerant parser copes without one.
                LogStructuredOutputRefused(logger, message.FeatureId, ex.Message);
                structured = false;
                attempt--;
                continue;
            }
            catch (ModelDeviceException ex) when (attempt > 1 && ex is not CassetteMismatchException)
            {
                // A script with no corrected plan: the reason is the invalid plan, not the script's end.
                return new Outcome(null, Invalid(attempt - 1, problems));
            }

            history.Add(reply);
            problems = Problems(reply.Content ?? string.Empty, out var plan);
            if (plan is not null)
            {
                return new Outcome(plan, null);
            }

            LogInvalidPlan(logger, message.FeatureId, attempt, maxAttempts, problems);
            history.AddUserMessage(
                $"""
                That plan is invalid: {problems}.
                Answer again with the whole corrected plan as ONE JSON object, and nothing else.
                """);
        }

        return new Outcome(null, Invalid(maxAttempts, problems));
    }

    // The read-only tools, when the planner may explore; its transcript sees every tool call.
    private Kernel KernelFor(RepositoryReadingPlugin? tools, PlannerTranscript? transcript)
    {
        var kernel = new Kernel(services);
        if (tools is not null)
        {
            kernel.Plugins.AddFromObject(tools, RepositoryReadingPlugin.PluginName);
        }

        if (transcript is not null)
        {
            kernel.AutoFunctionInvocationFilters.Add(transcript);
        }

        return kernel;
    }

    private static string Invalid(int attempts, string problems) =>
        $"the plan was invalid after {attempts} {(attempts == 1 ? "attempt" : "attempts")}: {problems}";

    // The plan's problems, or none (and the plan) when it is valid.
    private string Problems(string reply, out ParsedPlan? plan)
    {
        plan = null;
        ParsedPlan parsed;
        try
        {
            parsed = PlanParser.Parse(reply);
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }

        var problems = PlanValidator.Validate(parsed, roles.Roles);
        if (problems.Count > 0)
        {
            return string.Join("; ", problems);
        }

        plan = parsed;
        return string.Empty;
    }

    // The scripted model ignores the response format; a real endpoint gets the plan's schema. The read-only tools are
    // offered until their calls are used up; then the model can only answer with the plan.
    private static PromptExecutionSettings Settings(bool structured, bool tools)
    {
        var settings = structured ? new PlanExecutionSettings() : new PromptExecutionSettings();
        settings.FunctionChoiceBehavior = tools ? FunctionChoiceBehavior.Auto() : null;
        return settings;
    }

    private FeaturePlanRejected Reject(PlanFeature message, string reason, UsageMeter meter)
    {
        LogRejected(logger, message.FeatureId, reason);
        return new FeaturePlanRejected(message.FeatureId, reason, meter.Total);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: planning was asked for again; answered with the first answer ({Answer}) without asking the model")]
    private static partial void LogAnsweredAgain(ILogger logger, Guid featureId, string answer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} planned: {Tasks} tasks (model {Model})")]
    private static partial void LogPlanned(ILogger logger, Guid featureId, int tasks, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: plan {Attempt} of {MaxAttempts} is invalid: {Problems}")]
    private static partial void LogInvalidPlan(ILogger logger, Guid featureId, int attempt, int maxAttempts, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: the endpoint refused structured output ({Reason}); asking without it")]
    private static partial void LogStructuredOutputRefused(ILogger logger, Guid featureId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: plan rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid featureId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feature {FeatureId}: the planner failed unexpectedly")]
    private static partial void LogPlannerCrashed(ILogger logger, Exception exception, Guid featureId);
}
