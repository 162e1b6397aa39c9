using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Orchestrator.Http;

/// <summary>Reads a request's JSON body for the routes that read theirs by hand, to answer problem details, not 500s.</summary>
internal static class JsonBody
{
    /// <summary>The body, or the problem that refuses it: too large (413), malformed (400), not JSON (415).</summary>
    public static async Task<(T? Body, IResult? Unreadable)> ReadAsync<T>(HttpRequest http, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            return (await http.ReadFromJsonAsync<T>(cancellationToken), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {maxBytes} bytes."));
        }
        catch (JsonException ex)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {ex.Message}"));
        }
        catch (InvalidOperationException ex)
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", ex.Message));
        }
    }
}
