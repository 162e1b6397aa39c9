using System.Reflection;
using MassTransit;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Contracts;
using Orchestrator.Models;

namespace Orchestrator.Api.Planning;

/// <summary>The orchestrator agent's planner: turns a feature request into a validated task graph.</summary>
public sealed partial class PlanFeatureConsumer(
    ChatModelFactory models,
    IServiceProvider services,
    ILogger<PlanFeatureConsumer> logger) : IConsumer<PlanFeature>
{
    private static readonly Lazy<string> SystemPrompt = new(() => ReadPrompt("planner.md"));

    public async Task Consume(ConsumeContext<PlanFeature> context)
    {
        var message = context.Message;
        var meter = new UsageMeter();
        try
        {
            var reply = await AskModelAsync(message, meter, context.CancellationToken);
            var plan = PlanParser.Parse(reply);
            var problems = PlanValidator.Validate(plan.Title, plan.Tasks);
            if (problems.Count > 0)
            {
                await Reject(context, string.Join("; ", problems), meter);
                return;
            }

            LogPlanned(logger, message.FeatureId, plan.Tasks.Count, message.Model.Description);
            await context.Publish(new FeaturePlanned(
                message.FeatureId, plan.Title!, plan.Summary ?? string.Empty, plan.Interface, plan.Tasks, meter.Total));
        }
        catch (Exception ex) when (ex is FormatException or ScriptedModelException)
        {
            await Reject(context, ex.Message, meter);
        }
    }

    private async Task<string> AskModelAsync(PlanFeature message, UsageMeter meter, CancellationToken cancellationToken)
    {
        using var client = models.Create(message.Model, ModelScript.PlannerAgent, meter);
        var history = new ChatHistory(SystemPrompt.Value);
        history.AddUserMessage(
            $"""
            Repository: {message.Repository} (base branch {message.BaseBranch})

            Feature request:
            {message.Request}
            """);
        var reply = await client.AsChatCompletionService(services)
            .GetChatMessageContentAsync(history, new PromptExecutionSettings(), new Kernel(services), cancellationToken);
        return reply.Content ?? string.Empty;
    }

    private async Task Reject(ConsumeContext<PlanFeature> context, string reason, UsageMeter meter)
    {
        LogRejected(logger, context.Message.FeatureId, reason);
        await context.Publish(new FeaturePlanRejected(context.Message.FeatureId, reason, meter.Total));
    }

    private static string ReadPrompt(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith($".Prompts.{name}", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId} planned: {Tasks} tasks (model {Model})")]
    private static partial void LogPlanned(ILogger logger, Guid featureId, int tasks, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: plan rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid featureId, string reason);
}
