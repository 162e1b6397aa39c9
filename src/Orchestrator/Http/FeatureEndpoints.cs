using System.Runtime.CompilerServices;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Features;
using Orchestrator.StateMachines;
using Orchestrator.Contracts;
using Orchestrator.Http.Access;

namespace Orchestrator.Http;

/// <summary>The HTTP API: submit, inspect, watch and cancel features. Errors are RFC 7807 problem details.</summary>
public static class FeatureEndpoints
{
    /// <summary>A cancel reason is a sentence kept on the feature and shown by every read of it, not a document.</summary>
    public const int MaxCancelReasonLength = 1_000;

    public static IEndpointRouteBuilder MapFeatureEndpoints(this IEndpointRouteBuilder app)
    {
        // Every route of the group needs an API key; submissions are also limited per key.
        var features = app.MapGroup("/features").WithTags("Features").RequireAuthorization(ApiAccess.KeyPolicy);
        // The bodies are read by hand (for problem details on malformed JSON), so their shapes are declared here.
        features.MapPost("/", SubmitAsync).RequireRateLimiting(ApiAccess.SubmissionPolicy)
            .WithSummary("Submit a feature request")
            .WithDescription("Checks the request and the repository (readable, base branch present, writable on the forge) and answers 202 " +
                             "once the feature is stored; Location is the feature. 400 names each invalid field; nothing is created then.")
            .Accepts<SubmitFeatureRequest>("application/json")
            .Produces<FeatureView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        features.MapGet("/", ListAsync).WithSummary("List features, newest first");
        features.MapGet("/{id:guid}", GetAsync).WithSummary("A feature: its state, tasks, usage and pull request");
        features.MapGet("/{id:guid}/events", Watch)
            .WithSummary("Follow a feature live")
            .WithDescription("Server-sent events: a 'feature' event with the feature's view each time it changes, until it ends.")
            .Produces<FeatureView>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        features.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithSummary("Cancel a feature")
            .WithDescription("Stops its work; the body and its reason are optional. 409 for a feature that has ended.")
            .Accepts<CancelFeatureRequest>("application/json")
            .Produces<FeatureView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        features.MapApprovalEndpoints();
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest http, FeatureSubmission submission, IRequestClient<SubmitFeature> submit, ILogger<FeatureSubmission> log,
        CancellationToken cancellationToken)
    {
        var (command, refusal) = await submission.PrepareAsync(http, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            // The saga answers a repeated SubmitFeature for the same feature with FeatureAccepted again: safe to resend.
            await BusRequests.GetResponseAsync<SubmitFeature, FeatureAccepted>(submit, command!, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (RequestTimeoutException)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "Orchestrator unavailable",
                "The feature was not accepted within 30 s; the message bus or the orchestrator is not responding.");
        }

        ApiAudit.Submitted(log, command!.FeatureId, http.HttpContext.User.Identity?.Name);
        var view = await LoadViewAsync(http.HttpContext.RequestServices, command.FeatureId, cancellationToken);
        return TypedResults.Accepted($"/features/{command.FeatureId}", view);
    }

    private static async Task<Results<Ok<FeatureView>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, CancellationToken cancellationToken) =>
        await LoadViewAsync(http.RequestServices, id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : Problems.FeatureNotFound(id);

    private static async Task<Ok<List<FeatureView>>> ListAsync(FeatureReader reader, PriceTable prices, CancellationToken cancellationToken)
    {
        var features = await reader.ListAllAsync(cancellationToken);
        return TypedResults.Ok(features.Select(f => FeatureView.From(f, prices)).OrderByDescending(f => f.SubmittedAt).ToList());
    }

    /// <summary>Server-sent events: the feature's view each time it changes, until it ends; 404 for a feature that does not exist.</summary>
    private static async Task<IResult> Watch(Guid id, HttpContext http, TimeProvider time, CancellationToken cancellationToken) =>
        await LoadViewAsync(http.RequestServices, id, cancellationToken) is null
            ? Problems.FeatureNotFound(id)
            : TypedResults.ServerSentEvents(Changes(id, http.RequestServices, time, cancellationToken), eventType: "feature");

    private static async IAsyncEnumerable<FeatureView> Changes(
        Guid id, IServiceProvider services, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await LoadViewAsync(services, id, cancellationToken) is { } view)
            {
                var snapshot = JsonSerializer.Serialize(view);
                if (snapshot != last)
                {
                    last = snapshot;
                    yield return view;
                }

                if (FeatureStateMachine.FinalStates.Contains(view.State))
                {
                    yield break;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }
    }

    private static async Task<IResult> CancelAsync(
        Guid id, HttpRequest http, IPublishEndpoint publish, ILogger<FeatureSubmission> log, CancellationToken cancellationToken)
    {
        CancelFeatureRequest? body = null;
        // Not Content-Length: a client may send its JSON chunked (the CLI does), and its reason must not be lost.
        if (http.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            try
            {
                body = await http.ReadFromJsonAsync<CancelFeatureRequest>(cancellationToken);
            }
            catch (JsonException ex)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {ex.Message}");
            }
        }

        if (body?.Reason?.Trim().Length > MaxCancelReasonLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["reason"] = [$"The reason must be at most {MaxCancelReasonLength} characters."] },
                title: "The cancel request is invalid");
        }

        var view = await LoadViewAsync(http.HttpContext.RequestServices, id, cancellationToken);
        if (view is null)
        {
            return Problems.FeatureNotFound(id);
        }

        if (FeatureStateMachine.FinalStates.Contains(view.State))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "Feature already ended", $"Feature {id} is {view.State}; it cannot be cancelled.");
        }

        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "cancelled through the API" : body.Reason.Trim();
        await publish.Publish(new CancelFeature(id, reason), cancellationToken);
        ApiAudit.Cancelled(log, id, http.HttpContext.User.Identity?.Name);
        return TypedResults.Accepted($"/features/{id}", view);
    }

    private static async Task<FeatureView?> LoadViewAsync(IServiceProvider services, Guid id, CancellationToken cancellationToken) =>
        await services.GetRequiredService<FeatureReader>().FindAsync(id, cancellationToken) is { } feature
            ? FeatureView.From(feature, services.GetRequiredService<PriceTable>())
            : null;
}
