using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>How a command reaches the API: the option that resolves its address, and the test seams.</summary>
internal sealed record ApiConnection(Option<Uri> Address, HttpMessageHandler? Handler, CliSettings Settings);
