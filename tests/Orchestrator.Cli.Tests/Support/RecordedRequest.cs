namespace Orchestrator.Cli.Tests.Support;

/// <summary>A request the stub API received, with its Authorization header (null when it had none).</summary>
internal sealed record RecordedRequest(string Method, string Path, string Body, string? Authorization = null);
