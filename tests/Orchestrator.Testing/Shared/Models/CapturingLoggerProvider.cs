using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Support;

/// <summary>
/// Keeps every log line of every level (with its exception and scopes), so a test can look for a secret in all of
/// them, and routes Information and above to the test's output.
/// </summary>
internal sealed class CapturingLoggerProvider(ITestOutputHelper? output = null) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ITestOutputHelper? _output = output;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var line = $"[{logLevel}] {category}: {formatter(state, exception)} {{{structured}}} [{string.Join(" => ", scopes)}]{(exception is null ? "" : "\n" + exception)}";
            owner._lines.Enqueue(line);
            if (logLevel >= LogLevel.Information && !category.StartsWith("MassTransit", StringComparison.Ordinal))
            {
                try
                {
                    owner._output?.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // The test already finished; a late line from a background thread has nowhere to go.
                }
            }
        }
    }
}
