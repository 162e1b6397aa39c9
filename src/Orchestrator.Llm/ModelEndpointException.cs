using System.Net;

namespace Orchestrator.Llm;

/// <summary>
/// The <c>llm</c> endpoint failed for good: a status it gives up on after retries (429, 5xx), a refusal (4xx), no
/// answer in time, or no connection. The message is one line fit for a feature's or task's failure reason, e.g.
/// "the model endpoint failed: 500 Internal Server Error after 4 retries"; it never contains the key.
/// </summary>
public sealed class ModelEndpointException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The endpoint's last HTTP status, when it answered at all.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
