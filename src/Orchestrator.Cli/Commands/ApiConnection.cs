using System.CommandLine;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// How a command reaches the API (the options that resolve its address and key) and the user (the terminal stdout is,
/// if any), with the test seams.
/// </summary>
internal sealed record ApiConnection(
    Option<Uri> Address, Option<string?> Key, HttpMessageHandler? Handler, CliSettings Settings, IAnsiConsole? Terminal);
