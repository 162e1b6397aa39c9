using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Http.Access;
using Orchestrator.Messaging.Roles;
using Orchestrator.Planning;
using Orchestrator.StateMachines;

namespace Orchestrator.Http;

/// <summary>
/// Approve or reject a feature that waits for approval: its plan (<c>AwaitingApproval</c>) or a larger budget
/// (<c>AwaitingBudget</c>). The checks a person's input needs are made here, so a bad approval is a 400 that changes
/// nothing; the saga decides (FeatureStateMachine.Approval.cs).
/// </summary>
public static class ApprovalEndpoints
{
    /// <summary>An edited plan holds at most 12 tasks of 8,000 characters of instructions each, and some JSON around them.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    public static RouteGroupBuilder MapApprovalEndpoints(this RouteGroupBuilder features)
    {
        features.MapPost("/{id:guid}/approve", ApproveAsync)
            .WithSummary("Approve a feature's plan, or a larger budget")
            .WithDescription("For a feature AwaitingApproval: the body is optional; 'plan' (the planner's shape: title, summary, interface, " +
                             "tasks with id, role, title, instructions, dependsOn) replaces the plan and is validated like the planner's, " +
                             "'tokenBudget' sets a new budget. For a feature AwaitingBudget: 'tokenBudget' is required and must exceed the " +
                             "tokens spent; the task that ran out is tried again. 400 names what is wrong and changes nothing; 409 for a " +
                             "feature that is not waiting for approval.")
            .Accepts<ApproveFeatureRequest>("application/json")
            .Produces<FeatureView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        features.MapPost("/{id:guid}/reject", RejectAsync)
            .WithSummary("Reject a feature's plan, or a larger budget")
            .WithDescription("The feature ends Failed with the reason (optional, at most 1,000 characters). 409 for a feature that is " +
                             "not waiting for approval.")
            .Accepts<RejectFeatureRequest>("application/json")
            .Produces<FeatureView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return features;
    }

    private static async Task<IResult> ApproveAsync(
        Guid id, HttpRequest http, IPublishEndpoint publish, IOptions<FeatureWorkflowOptions> options, ILogger<FeatureSubmission> log,
        CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadAsync<ApproveFeatureRequest>(http, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var (feature, refusal) = await FindWaitingAsync(http, id, "approved", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var roles = http.HttpContext.RequestServices.GetRequiredService<AgentRoles>();
        var (approval, errors) = Check(body, feature!, options.Value.MaxTokenBudget, http.HttpContext.User.Identity?.Name, roles);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The approval is invalid");
        }

        await publish.Publish(approval!, cancellationToken);
        ApiAudit.Approved(log, id, http.HttpContext.User.Identity?.Name);
        return TypedResults.Accepted($"/features/{id}", View(http, feature!));
    }

    private static async Task<IResult> RejectAsync(Guid id, HttpRequest http, IPublishEndpoint publish, ILogger<FeatureSubmission> log, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadAsync<RejectFeatureRequest>(http, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (body?.Reason?.Trim().Length > FeatureEndpoints.MaxCancelReasonLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["reason"] = [$"The reason must be at most {FeatureEndpoints.MaxCancelReasonLength} characters."] },
                title: "The rejection is invalid");
        }

        var (feature, refusal) = await FindWaitingAsync(http, id, "rejected", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        // The reason becomes the feature's failure reason, shown to everyone who reads it.
        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "no reason given" : UntrustedText.StripHidden(body.Reason.Trim());
        var who = http.HttpContext.User.Identity?.Name;
        await publish.Publish(new RejectFeature(id, reason, who ?? "api"), cancellationToken);
        ApiAudit.Rejected(log, id, who);
        return TypedResults.Accepted($"/features/{id}", View(http, feature!));
    }

    /// <summary>The approval to send, or the problems of the body by field.</summary>
    private static (ApproveFeature? Approval, Dictionary<string, string[]> Errors) Check(
        ApproveFeatureRequest? body, FeatureState feature, long maxBudget, string? who, AgentRoles roles)
    {
        var errors = new Dictionary<string, string[]>();
        var awaitingBudget = feature.CurrentState == nameof(FeatureStateMachine.AwaitingBudget);
        EditedPlan? plan = null;
        if (body?.Plan is { ValueKind: not JsonValueKind.Null } edited)
        {
            if (awaitingBudget)
            {
                errors["plan"] = ["The feature waits for a larger budget, not for its plan: send only tokenBudget."];
            }
            else if (PlanProblems(edited, roles, out plan) is { Count: > 0 } problems)
            {
                errors["plan"] = [.. problems];
            }
        }

        if (body?.TokenBudget is { } budget)
        {
            if (PlanApproval.BudgetProblem(budget, feature.Usage.TotalTokens) is { } problem)
            {
                errors["tokenBudget"] = [problem];
            }
            else if (budget > maxBudget)
            {
                errors["tokenBudget"] = [$"The token budget must be at most {maxBudget} (Features:MaxTokenBudget)."];
            }
        }
        else if (awaitingBudget)
        {
            errors["tokenBudget"] = [$"The feature waits for a larger budget: tokenBudget is required (it has spent {feature.Usage.TotalTokens} of {feature.TokenBudget} tokens)."];
        }

        var approval = new ApproveFeature(feature.CorrelationId, who ?? "api") { Plan = plan, TokenBudget = body?.TokenBudget };
        return (approval, errors);
    }

    /// <summary>The problems of an edited plan, checked exactly like a planner's (parser, then validator).</summary>
    private static IReadOnlyList<string> PlanProblems(JsonElement edited, AgentRoles roles, out EditedPlan? plan)
    {
        plan = null;
        if (edited.ValueKind != JsonValueKind.Object)
        {
            return ["The plan must be a JSON object (title, summary, interface, tasks)."];
        }

        try
        {
            var parsed = PlanParser.Parse(edited.GetRawText(), "the edited plan");
            var problems = PlanValidator.Validate(parsed, roles);
            plan = problems.Count == 0 ? PlanApproval.ToEdited(parsed) : null;
            return problems;
        }
        catch (FormatException ex)
        {
            return [ex.Message];
        }
    }

    /// <summary>The feature if it waits for approval; otherwise the 404 or 409 that says why it cannot be <paramref name="verb"/>.</summary>
    private static async Task<(FeatureState? Feature, IResult? Refusal)> FindWaitingAsync(
        HttpRequest http, Guid id, string verb, CancellationToken cancellationToken)
    {
        var feature = await http.HttpContext.RequestServices.GetRequiredService<FeatureReader>().FindAsync(id, cancellationToken);
        if (feature is null)
        {
            return (null, Problems.FeatureNotFound(id));
        }

        return FeatureStateMachine.WaitingStates.Contains(feature.CurrentState)
            ? (feature, null)
            : (null, Problems.Of(StatusCodes.Status409Conflict, "Feature not awaiting approval",
                $"Feature {id} is {feature.CurrentState}; only a feature awaiting approval can be {verb}."));
    }

    private static FeatureView View(HttpRequest http, FeatureState feature) =>
        FeatureView.From(feature, http.HttpContext.RequestServices.GetRequiredService<PriceTable>());

    /// <summary>The optional JSON body, or the problem that refuses it (malformed, too large, not JSON).</summary>
    private static async Task<(T? Body, IResult? Unreadable)> ReadAsync<T>(HttpRequest http, CancellationToken cancellationToken)
        where T : class
    {
        // A client may send its JSON chunked (no Content-Length): whether there is a body at all is the server's to say.
        if (http.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return (null, null);
        }

        return await JsonBody.ReadAsync<T>(http, MaxBodyBytes, cancellationToken);
    }
}

/// <summary>The optional body of <c>POST /features/{id}/approve</c>.</summary>
/// <param name="Plan">An edited plan in the planner's shape, replacing the planner's (only while the plan awaits approval).</param>
/// <param name="TokenBudget">A new token budget, more than the tokens already spent; required while a larger budget awaits approval.</param>
public sealed record ApproveFeatureRequest(JsonElement? Plan = null, long? TokenBudget = null);

/// <summary>The optional body of <c>POST /features/{id}/reject</c>.</summary>
public sealed record RejectFeatureRequest(string? Reason);
