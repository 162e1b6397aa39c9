using System.CommandLine;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator logs &lt;id&gt; [--task &lt;task&gt;] [--follow] [--json]</c>: what the agents did, step by step — each
/// model turn and tool call of a task (or of every task of the feature), one line each, or live until the tasks end.
/// </summary>
internal sealed class LogsCommand : ApiCommand
{
    private readonly FeatureIdArgument _id = new();
    private readonly ValueOption<string> _task = TextOption.Optional("--task", "task", "Only this task's transcript (default: every task of the feature).");
    private readonly FlagOption _follow = new("--follow", "Keep printing steps as they happen, until the task (every task) has ended.");
    private readonly FlagOption _json = new("--json", "Print each step as one JSON object per line, with its taskId.");

    public LogsCommand(ApiConnection connection)
        : base("logs", "Show what the agents did: every model turn and tool call of a feature's tasks.", connection)
    {
        Arguments.Add(_id);
        Options.Add(_task);
        Options.Add(_follow);
        Options.Add(_json);
    }

    protected override async Task<int> RunAsync(ParseResult parseResult, CommandContext context)
    {
        var featureId = parseResult.GetRequiredValue(_id);
        var json = parseResult.GetValue(_json);
        IReadOnlyList<string> tasks = parseResult.GetValue(_task) is { Length: > 0 } task
            ? [task]
            : [.. (await context.Api.GetFeatureAsync(featureId, context.CancellationToken)).Tasks.Select(t => t.Id)];

        var output = new Output(context, json);
        if (parseResult.GetValue(_follow))
        {
            // Every task's stream at once; each ends when its task has ended.
            await Task.WhenAll(tasks.Select(async taskId =>
            {
                await foreach (var entry in context.Api.FollowTaskLogAsync(featureId, taskId, context.CancellationToken))
                {
                    await output.WriteAsync(entry);
                }
            }));
            return ExitCodes.Success;
        }

        foreach (var taskId in tasks)
        {
            foreach (var entry in await context.Api.GetTaskLogAsync(featureId, taskId, context.CancellationToken))
            {
                await output.WriteAsync(entry);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Lines from several streams, never interleaved mid-line.</summary>
    private sealed class Output(CommandContext context, bool json)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task WriteAsync(TaskLogEntry entry)
        {
            var line = json ? TaskLogFormatter.Json(entry) : TaskLogFormatter.Line(entry, context.Settings.Time);
            await _gate.WaitAsync(context.CancellationToken);
            try
            {
                await context.Stdout.WriteLineAsync(line);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
