using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary>How a command reaches the API: the options that resolve its address and key, and the test seams.</summary>
internal sealed record ApiConnection(Option<Uri> Address, Option<string?> Key, HttpMessageHandler? Handler, CliSettings Settings);
