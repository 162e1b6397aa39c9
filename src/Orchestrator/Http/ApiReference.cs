using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Orchestrator.Http;

/// <summary>
/// The API described: an OpenAPI 3.1 document generated from the endpoints (<c>/openapi/v1.json</c>) and a reference
/// page that reads it (<c>/api-reference</c>, Scalar, its script served from this service so it works offline). Both
/// are open, like <c>/health</c>: they describe the API, they hold nothing of anyone's. Every operation behind an API
/// key says so, with the <c>401</c> it answers without one.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePath = "/api-reference";
    public const string SecuritySchemeName = "ApiKey";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Orchestrator API",
                    Version = "v1",
                    Description = "Submit a feature request on a git repository, follow its tasks live, cancel it; the result is one pull request. " +
                                  "Every /features request needs an API key: Authorization: Bearer <key>. Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "One of the orchestrator's Api:Keys (at least 32 characters).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or one that is not configured (problem details)." });
                }

                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(PagePath, options => options
            .WithTitle("Orchestrator API")
            .WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
