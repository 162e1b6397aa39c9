using System.Net;
using System.Text.Json;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// Submission bodies that try to make the system hold, spend or parse too much: huge texts, budgets past the
/// maximum, malformed and deeply nested JSON. Each is refused with the status given and creates no feature.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class RequestBodyPayloads(ApiUnderAttack api)
{
    /// <summary>Payload name → (the raw body, the status, the field a 400 names or null for a non-validation refusal).</summary>
    private static readonly Dictionary<string, (Func<ApiUnderAttack, string> Body, HttpStatusCode Status, string? Field)> Payloads = new()
    {
        ["100,000-character request"] = (a => With(a, "request", new string('x', 100_000)), HttpStatusCode.RequestEntityTooLarge, null),
        ["30,000-character request"] = (a => With(a, "request", new string('x', 30_000)), HttpStatusCode.BadRequest, "request"),
        ["token budget one over the maximum"] = (a => With(a, "tokenBudget", 10_000_001L), HttpStatusCode.BadRequest, "tokenBudget"),
        ["token budget of long.MaxValue"] = (a => With(a, "tokenBudget", long.MaxValue), HttpStatusCode.BadRequest, "tokenBudget"),
        ["negative token budget"] = (a => With(a, "tokenBudget", -1L), HttpStatusCode.BadRequest, "tokenBudget"),
        ["token budget past long"] = (a => With(a, "tokenBudget", 0L).Replace("\"tokenBudget\":0", "\"tokenBudget\":1e30", StringComparison.Ordinal), HttpStatusCode.BadRequest, null),
        ["negative issue number"] = (a => With(a, "issue", -1), HttpStatusCode.BadRequest, "issue"),
        ["malformed JSON"] = (_ => "{\"repository\": ", HttpStatusCode.BadRequest, null),
        ["JSON nested 10,000 deep"] = (_ => "{\"p\":" + new string('[', 10_000) + new string(']', 10_000) + "}", HttpStatusCode.BadRequest, null),
        ["100,000 unknown properties"] = (a => With(a, "request", "x").TrimEnd('}') + string.Concat(Enumerable.Range(0, 100_000).Select(i => $",\"p{i}\":0")) + "}", HttpStatusCode.RequestEntityTooLarge, null),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    private static string With(ApiUnderAttack api, string field, object value)
    {
        var body = ApiUnderAttack.Submission(api.Origin);
        body[field] = value;
        return JsonSerializer.Serialize(body);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_body_is_refused_and_nothing_is_created(string payload)
    {
        var (body, status, field) = Payloads[payload];
        var features = await api.FeatureCountAsync();

        var answer = await api.SendAsync(HttpMethod.Post, "/features", body(api));

        Assert.True(answer.Status == status, $"{answer.Status}: {answer.Body}");
        Assert.Equal(field is null ? [] : [field], answer.ErrorFields);
        Assert.Equal(features, await api.FeatureCountAsync());
    }

    [Fact]
    public async Task A_100000_character_cancel_reason_is_refused_and_not_kept_on_the_feature()
    {
        var submitted = await api.SubmitAsync(ApiUnderAttack.Submission(api.Origin));
        Assert.True(submitted.Status == HttpStatusCode.Accepted, submitted.Body);
        var id = JsonDocument.Parse(submitted.Body).RootElement.GetProperty("id").GetString();

        var answer = await api.SendAsync(HttpMethod.Post, $"/features/{id}/cancel", JsonSerializer.Serialize(new { reason = new string('x', 100_000) }));
        var view = await api.SendAsync(HttpMethod.Get, $"/features/{id}", json: null);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{answer.Status}: {answer.Body[..Math.Min(300, answer.Body.Length)]}");
        Assert.Equal(["reason"], answer.ErrorFields);
        Assert.True(view.Body.Length < 10_000, $"the feature's view is {view.Body.Length} characters");
    }
}
