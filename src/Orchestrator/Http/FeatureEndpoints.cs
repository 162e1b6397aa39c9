using System.Runtime.CompilerServices;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Features;
using Orchestrator.StateMachines;
using Orchestrator.Contracts;
using Orchestrator.Llm;

namespace Orchestrator.Http;

/// <summary>The HTTP API: submit, inspect, watch and cancel features. Errors are RFC 7807 problem details.</summary>
public static partial class FeatureEndpoints
{
    public const long MaxBodyBytes = 64 * 1024;
    public const int MaxRequestLength = 20_000;

    public static IEndpointRouteBuilder MapFeatureEndpoints(this IEndpointRouteBuilder app)
    {
        var features = app.MapGroup("/features").WithTags("Features");
        features.MapPost("/", SubmitAsync);
        features.MapGet("/", ListAsync);
        features.MapGet("/{id:guid}", GetAsync);
        features.MapGet("/{id:guid}/events", Watch);
        features.MapPost("/{id:guid}/cancel", CancelAsync);
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest http,
        IRequestClient<SubmitFeature> submit,
        IRequestClient<CheckRepository> checkRepository,
        ChatModelFactory models,
        ScriptLibrary scripts,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        SubmitFeatureRequest? body;
        try
        {
            body = await http.ReadFromJsonAsync<SubmitFeatureRequest>(cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {MaxBodyBytes} bytes.");
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", ex.Message);
        }

        var errors = new Dictionary<string, string[]>();
        var repository = body?.Repository?.Trim();
        var baseBranch = string.IsNullOrWhiteSpace(body?.BaseBranch) ? "main" : body.BaseBranch.Trim();
        var request = body?.Request?.Trim();
        var script = string.IsNullOrWhiteSpace(body?.Script) ? null : body.Script.Trim();

        if (string.IsNullOrEmpty(request))
        {
            errors["request"] = ["The feature request text is required."];
        }
        else if (request.Length > MaxRequestLength)
        {
            errors["request"] = [$"The feature request must be at most {MaxRequestLength} characters."];
        }

        if (body?.Issue is <= 0)
        {
            errors["issue"] = ["The issue number must be positive."];
        }

        if (body?.TokenBudget is <= 0)
        {
            errors["tokenBudget"] = ["The token budget must be positive."];
        }

        if (string.IsNullOrEmpty(repository))
        {
            errors["repository"] = ["The repository (clone URL or local path) is required."];
        }

        if (script is not null && !scripts.Exists(script))
        {
            errors["script"] = [$"No scripted-model script named '{script}'. Available: {string.Join(", ", scripts.Names())}."];
        }

        ModelSelection? model = null;
        var replay = string.IsNullOrWhiteSpace(body?.Replay) ? null : body.Replay.Trim();
        if (replay is not null && (script is not null || body?.Record == true))
        {
            errors["replay"] = ["A replayed feature takes its model calls from the cassette: do not also name a script or ask to record."];
        }
        else
        {
            try
            {
                model = replay is not null
                    ? models.SelectReplay(replay)
                    : models.Select(script, string.IsNullOrWhiteSpace(body?.Model) ? null : body.Model.Trim()) with { Record = body?.Record == true };
            }
            catch (ScriptedModelException ex)
            {
                errors[replay is not null ? "replay" : "script"] = [ex.Message];
            }
        }

        if (errors.Count == 0)
        {
            // The merge service checks: it holds the forge credentials a private repository needs.
            Response<RepositoryChecked> probe;
            try
            {
                probe = await checkRepository.GetResponse<RepositoryChecked>(
                    new CheckRepository(repository!, baseBranch), cancellationToken, RequestTimeout.After(s: 45));
            }
            catch (RequestTimeoutException)
            {
                return Problem(StatusCodes.Status503ServiceUnavailable, "Merge service unavailable",
                    "The repository could not be checked within 45 s; the merge service is not responding.");
            }

            if (!probe.Message.Reachable)
            {
                errors["repository"] = [$"The repository '{repository}' cannot be read: {probe.Message.Error}"];
            }
            else if (!probe.Message.BranchExists)
            {
                errors["baseBranch"] = [$"The repository has no branch '{baseBranch}'."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The feature request is invalid");
        }

        var featureId = NewId.NextGuid();
        try
        {
            await submit.GetResponse<FeatureAccepted>(
                new SubmitFeature(featureId, repository!, baseBranch, request!, model!, time.GetUtcNow())
                {
                    Issue = body!.Issue ?? IssueMentionedIn(request!),
                    TokenBudget = body.TokenBudget,
                },
                cancellationToken, RequestTimeout.After(s: 30));
        }
        catch (RequestTimeoutException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Orchestrator unavailable",
                "The feature was not accepted within 30 s; the message bus or the orchestrator is not responding.");
        }

        var view = await LoadViewAsync(http.HttpContext.RequestServices, featureId, cancellationToken);
        return TypedResults.Accepted($"/features/{featureId}", view);
    }

    private static async Task<Results<Ok<FeatureView>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, CancellationToken cancellationToken) =>
        await LoadViewAsync(http.RequestServices, id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : NotFound(id);

    private static async Task<Ok<List<FeatureView>>> ListAsync(FeatureReader reader, PriceTable prices, CancellationToken cancellationToken)
    {
        var features = await reader.ListAllAsync(cancellationToken);
        return TypedResults.Ok(features.Select(f => FeatureView.From(f, prices)).OrderByDescending(f => f.SubmittedAt).ToList());
    }

    /// <summary>Server-sent events: the feature's view each time it changes, until it ends.</summary>
    private static IResult Watch(Guid id, HttpContext http, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(Changes(id, http.RequestServices, time, cancellationToken), eventType: "feature");

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
        Guid id, HttpRequest http, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        CancelFeatureRequest? body = null;
        if (http.ContentLength > 0)
        {
            try
            {
                body = await http.ReadFromJsonAsync<CancelFeatureRequest>(cancellationToken);
            }
            catch (JsonException ex)
            {
                return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {ex.Message}");
            }
        }

        var view = await LoadViewAsync(http.HttpContext.RequestServices, id, cancellationToken);
        if (view is null)
        {
            return NotFound(id);
        }

        if (FeatureStateMachine.FinalStates.Contains(view.State))
        {
            return Problem(StatusCodes.Status409Conflict, "Feature already ended", $"Feature {id} is {view.State}; it cannot be cancelled.");
        }

        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "cancelled through the API" : body.Reason.Trim();
        await publish.Publish(new CancelFeature(id, reason), cancellationToken);
        return TypedResults.Accepted($"/features/{id}", view);
    }

    /// <summary>"Fix the export (#42)" resolves issue 42: the first <c>#number</c> in the request.</summary>
    private static int? IssueMentionedIn(string request) =>
        IssueReference().Match(request) is { Success: true } match && int.TryParse(match.Groups[1].ValueSpan, out var issue) ? issue : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w&/])#(\d{1,9})\b")]
    private static partial System.Text.RegularExpressions.Regex IssueReference();

    private static async Task<FeatureView?> LoadViewAsync(IServiceProvider services, Guid id, CancellationToken cancellationToken) =>
        await services.GetRequiredService<FeatureReader>().FindAsync(id, cancellationToken) is { } feature
            ? FeatureView.From(feature, services.GetRequiredService<PriceTable>())
            : null;

    private static ProblemHttpResult NotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "Feature not found", $"There is no feature {id}.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
