using System.Net;
using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Planning;

namespace Orchestrator.Consumers;

/// <summary>
/// The orchestrator agent's planner: turns a feature request into a validated task graph. An invalid plan goes back
/// to the model with what is wrong, up to <see cref="PlannerOptions.MaxAttempts"/> plans; a model endpoint that fails
/// for good rejects the plan with the reason rather than faulting the message. A feature asked for again gets its
/// first answer again, without a model call (<see cref="PlannerAnswers"/>).
/// </summary>
public sealed partial class PlanFeatureConsumer(
    ChatModelFactory models,
    PlannerAnswers answers,
    PlannerRoles roles,
    IOptions<PlannerOptions> options,
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
        var meter = new UsageMeter();
        try
        {
            var outcome = await PlanAsync(message, meter, cancellationToken);
            if (outcome.Plan is not { } plan)
            {
                return Reject(message, outcome.Rejection!, meter);
            }

            LogPlanned(logger, message.FeatureId, plan.Tasks.Count, message.Model.Description);
            return new FeaturePlanned(message.FeatureId, plan.Title!, plan.Summary ?? string.Empty, plan.Interface, plan.Tasks, meter.Total);
        }
        catch (Exception ex) when (ex is ModelEndpointException or ModelDeviceException or LlmConnectionException)
        {
            return Reject(message, ex.Message, meter);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Planning is never run again behind the saga's back (it costs tokens): an unexpected failure rejects the
            // plan with the reason; the stack trace goes to the log.
            LogPlannerCrashed(logger, ex, message.FeatureId);
            return Reject(message, $"the planner failed unexpectedly: {ex.GetType().Name}: {ex.Message}", meter);
        }
    }

    private sealed record Outcome(ParsedPlan? Plan, string? Rejection);

    private async Task<Outcome> PlanAsync(PlanFeature message, UsageMeter meter, CancellationToken cancellationToken)
    {
        using var client = await models.CreateAsync(
            message.Model, new ModelConversation(message.FeatureId, ModelConversation.Planner, Run: 1), meter, cancellationToken);
        var chat = client.AsChatCompletionService(services);
        var kernel = new Kernel(services);
        var history = new ChatHistory(SystemPrompt.Value);
        history.AddSystemMessage(roles.Text);
        history.AddUserMessage(
            $"""
            Repository: {message.Repository} (base branch {message.BaseBranch})

            Feature request:
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
                reply = await chat.GetChatMessageContentAsync(history, Settings(structured), kernel, cancellationToken);
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

    // The scripted model ignores the response format; a real endpoint gets the plan's schema.
    private static PromptExecutionSettings Settings(bool structured) =>
        structured ? new PlanExecutionSettings() : new PromptExecutionSettings();

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
