namespace Orchestrator.Cli.Tests.Support;

/// <summary>A request the stub API received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Body);
