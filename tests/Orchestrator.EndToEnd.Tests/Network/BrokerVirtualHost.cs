namespace Orchestrator.EndToEnd.Tests.Network;

/// <summary>
/// A RabbitMQ virtual host of its own on the local broker, for a second system beside the suite's shared one: two
/// systems on one vhost would consume each other's messages. The broker's user from the connection string gets every
/// permission on it; deleting it removes its queues and exchanges with it.
/// </summary>
public sealed class BrokerVirtualHost : IAsyncDisposable
{
    private BrokerVirtualHost(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The suite's connection string with this vhost as its path.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Creates the vhost through <c>rabbitmqctl</c>: the management API would need an administrator, and the user
    /// scripts/rabbitmq.sh makes is not one; the tests run as root, as ./test.sh does.
    /// </summary>
    public static BrokerVirtualHost Create(string suiteConnectionString, string prefix)
    {
        var broker = new Uri(suiteConnectionString);
        var user = Uri.UnescapeDataString(broker.UserInfo.Split(':', 2)[0]);
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        Control("add_vhost", name);
        var vhost = new BrokerVirtualHost(name, new UriBuilder(broker) { Path = "/" + name }.Uri.AbsoluteUri);
        try
        {
            Control("set_permissions", "-p", name, user, ".*", ".*", ".*");
            return vhost;
        }
        catch
        {
            Control("delete_vhost", name);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Control("delete_vhost", Name);
        return ValueTask.CompletedTask;
    }

    private static void Control(params string[] arguments)
    {
        // Debian puts rabbitmqctl in /usr/sbin, which a test host's PATH may lack.
        var rabbitmqctl = File.Exists("/usr/sbin/rabbitmqctl") ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";
        // From /: rabbitmqctl changes to the broker's home, and a deleted working directory would fail it.
        var result = OrchestratorApp.Run(rabbitmqctl, ["-q", .. arguments], "/");
        Assert.True(result.ExitCode == 0, $"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Text}");
    }
}
