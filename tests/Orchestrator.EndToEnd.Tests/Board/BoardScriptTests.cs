using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests.Board;

/// <summary>
/// The board's own logic, run in the browser on the modules as the orchestrator serves them (there is no JavaScript
/// test runner here): the event-stream parser the page reads the API's server-sent events with, and the graph's layers.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class BoardScriptTests(OrchestratorApp app)
{
    // Chunks cut where a network read may cut them: between "\r" and "\n", inside an event, before its end.
    private const string ParseChunks = """
        async () => {
          const { createEventStreamParser } = await import("./sse.js");
          const events = [];
          const parser = createEventStreamParser((event) => events.push(event));
          ["event: feature\r", "\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\n", "data: x\ndata:  y\n\nevent: entry\rdata:z\r", "\r",
           "id: 7\nevent: feature\ndata: last", " part"].forEach((chunk) => parser.push(chunk));
          return JSON.stringify(events);
        }
        """;

    private const string LayerTasks = """
        async () => {
          const { depths } = await import("./graph.js");
          const layers = depths([
            { id: "a", dependsOn: [] }, { id: "b", dependsOn: ["a"] }, { id: "c", dependsOn: ["a", "b"] },
            { id: "x", dependsOn: ["y"] }, { id: "y", dependsOn: ["x"] }, { id: "z", dependsOn: ["missing"] },
          ]);
          return JSON.stringify(Object.fromEntries(layers));
        }
        """;

    [Fact]
    public async Task The_event_stream_parser_joins_data_lines_skips_comments_and_keeps_events_cut_across_reads()
    {
        await using var browser = await BoardBrowser.StartAsync(app);
        await browser.OpenAsync();

        var events = JsonDocument.Parse(await browser.Page.EvaluateAsync<string>(ParseChunks)).RootElement.EnumerateArray()
            .Select(e => (Type: e.GetProperty("type").GetString(), Data: e.GetProperty("data").GetString())).ToList();

        // The last event has no blank line after it yet: it is not dispatched.
        Assert.Equal([("feature", "{\"a\":1}"), ("message", "x\n y"), ("entry", "z")], events);
    }

    [Fact]
    public async Task Tasks_are_layered_one_step_right_of_their_deepest_dependency_and_a_cycle_does_not_hang_the_page()
    {
        await using var browser = await BoardBrowser.StartAsync(app);
        await browser.OpenAsync();

        var layers = JsonSerializer.Deserialize<Dictionary<string, int>>(await browser.Page.EvaluateAsync<string>(LayerTasks))!;

        Assert.Equal(0, layers["a"]);
        Assert.Equal(1, layers["b"]);
        Assert.Equal(2, layers["c"]);
        Assert.Equal(0, layers["z"]);
        Assert.Contains("x", layers.Keys);
        Assert.Contains("y", layers.Keys);
    }
}
