using System.Globalization;

namespace Orchestrator.Bench.Agents;

/// <summary>
/// The command line. A live model is an OpenAI-compatible endpoint (<c>--llm</c>) with a model name; its key is read
/// from an environment variable (<c>--api-key-env</c>), never from the command line, where other users of the machine
/// could read it. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed record AgentBenchOptions(
    Uri? Llm,
    string? Model,
    string ApiKeyVariable,
    IReadOnlyList<string> Scenarios,
    bool Build,
    TimeSpan FeatureTimeout,
    decimal? InputPricePerMillion,
    decimal? OutputPricePerMillion)
{
    public const string DefaultKeyVariable = "AGENT_BENCH_LLM_KEY";

    public const string Usage = """
        dotnet run --project bench/Orchestrator.Bench.Agents -- [options]
          (no --llm)              run the scenarios that have a scripted-model script (scripted demo model, not an AI)
          --llm URL               run every scenario with an OpenAI-compatible endpoint, e.g. https://api.openai.com/v1
          --model NAME            the model to ask it for (required with --llm), e.g. gpt-4o-mini
          --api-key-env VAR       the environment variable holding the endpoint's key (default AGENT_BENCH_LLM_KEY;
                                  unset or empty: no key, as for a local server)
          --scenario ID           run only this scenario (repeatable)
          --price-input N         cost of a million input tokens, when the system reports no cost (Pricing section)
          --price-output N        cost of a million output tokens
          --timeout-minutes N     longest wait for one feature (default 30)
          --no-build              use the AppHost and services as last built
        """;

    private static readonly string[] Flags = ["--no-build"];
    private static readonly string[] Valued =
        ["--llm", "--model", "--api-key-env", "--scenario", "--price-input", "--price-output", "--timeout-minutes"];

    public static AgentBenchOptions Parse(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--api-key" or "--key")
            {
                throw new ArgumentException($"{args[i]} is not accepted: put the key in an environment variable and name it with --api-key-env");
            }

            if (Valued.Contains(args[i]))
            {
                if (++i >= args.Count)
                {
                    throw new ArgumentException($"{args[i - 1]} needs a value");
                }
            }
            else if (!Flags.Contains(args[i]))
            {
                throw new ArgumentException($"unknown option '{args[i]}' (try --help)");
            }
        }

        var llm = Text(args, "--llm") is { } url ? Endpoint(url) : null;
        var model = Text(args, "--model");
        if (llm is not null && string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("--llm needs --model NAME");
        }

        return new AgentBenchOptions(
            llm,
            model,
            Text(args, "--api-key-env") ?? DefaultKeyVariable,
            Values(args, "--scenario"),
            !args.Contains("--no-build"),
            TimeSpan.FromMinutes((double)(Number(args, "--timeout-minutes") ?? 30)),
            Number(args, "--price-input"),
            Number(args, "--price-output"));
    }

    /// <summary>
    /// The system's <c>ConnectionStrings:llm</c> (docs/real-models.md) with the key read from the environment; null
    /// without <c>--llm</c>. It goes to the AppHost through its environment only.
    /// </summary>
    public string? LlmConnectionString(Func<string, string?> environment)
    {
        if (Llm is null)
        {
            return null;
        }

        var key = environment(ApiKeyVariable);
        if (key is not null && key.IndexOfAny([';', '\n', '\r']) >= 0)
        {
            // A connection string cannot carry it; say so without showing it.
            throw new ArgumentException($"the key in {ApiKeyVariable} contains ';' or a line break, which a connection string cannot carry");
        }

        var parts = $"Endpoint={Llm.AbsoluteUri.TrimEnd('/')};Model={Model}";
        return string.IsNullOrEmpty(key) ? parts : $"{parts};Key={key}";
    }

    /// <summary>The cost of <paramref name="input"/> and <paramref name="output"/> tokens at the given prices; null without both.</summary>
    public string? CostOf(long input, long output) =>
        InputPricePerMillion is { } inPrice && OutputPricePerMillion is { } outPrice
            ? (decimal.Round((input * inPrice + output * outPrice) / 1_000_000m, 6)).ToString(CultureInfo.InvariantCulture) + " (priced by the bench)"
            : null;

    public override string ToString() =>
        Llm is null
            ? "scripted"
            : $"llm {Llm.AbsoluteUri} model {Model} (key from ${ApiKeyVariable})";

    private static Uri Endpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : throw new ArgumentException($"--llm must be an http(s) URL without credentials in it (got '{(url.Contains('@') ? "<redacted>" : url)}')");

    private static string? Text(IReadOnlyList<string> args, string name) => Values(args, name).LastOrDefault();

    private static IReadOnlyList<string> Values(IReadOnlyList<string> args, string name) =>
        Enumerable.Range(0, Math.Max(0, args.Count - 1)).Where(i => args[i] == name).Select(i => args[i + 1]).ToList();

    private static decimal? Number(IReadOnlyList<string> args, string name) =>
        Text(args, name) is { } text
            ? decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name} must be a positive number (got '{text}')")
            : null;
}
