using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Bench.Agents;

/// <summary>Submits a scenario's request through the orchestrator's HTTP API, as a user does, and waits for the feature's end.</summary>
public sealed class FeatureClient(HttpClient api)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Submits the request (with <paramref name="script"/>, the scripted model plays it); returns the feature's location.</summary>
    public async Task<Uri> SubmitAsync(string repository, string request, string? script, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync("/features", new { repository, baseBranch = "main", request, script }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is not { } location)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"POST /features answered {(int)response.StatusCode}: {problem}");
        }

        return location;
    }

    /// <summary>Polls the feature until it is Completed, Failed or Cancelled; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForEndAsync(Uri location, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var feature = await api.GetFromJsonAsync<JsonElement>(location, cancellationToken);
            if (feature.GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                return feature;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the feature did not end within {timeout.TotalMinutes:0} minutes (last state {feature.GetProperty("state")})");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
