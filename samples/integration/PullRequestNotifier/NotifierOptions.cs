using System.Text.RegularExpressions;

namespace PullRequestNotifier;

/// <summary>Configuration section <c>Notifier</c>.</summary>
public sealed class NotifierOptions
{
    public const string Section = "Notifier";

    /// <summary>
    /// This service's own queue: the Orchestrator's events wait in it while the service is down. Two services on one
    /// queue share the events (each gets some); two queues each get all of them.
    /// </summary>
    public string Queue { get; set; } = "pull-request-notifier";

    /// <summary>The file a line is appended to per pull request and per failed feature.</summary>
    public string OutputFile { get; set; } = "pull-requests.log";

    /// <summary>A queue name RabbitMQ and MassTransit both take as it is.</summary>
    public bool HasValidQueue => Regex.IsMatch(Queue ?? string.Empty, "^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$");
}
