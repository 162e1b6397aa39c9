using MassTransit;

namespace Orchestrator.Tests;

/// <summary>A <see cref="Fault{T}"/> as MassTransit publishes it when a consumer throws after its retries.</summary>
public sealed record FaultStub<T>(T Message, string ExceptionMessage) : Fault<T>
{
    public Guid FaultId { get; } = NewId.NextGuid();
    public Guid? FaultedMessageId => null;
    public DateTime Timestamp { get; } = DateTime.UtcNow;
    public ExceptionInfo[] Exceptions => [new ExceptionInfoStub(ExceptionMessage)];
    public HostInfo Host => null!;
    public string[] FaultMessageTypes => [];

    private sealed record ExceptionInfoStub(string Message) : ExceptionInfo
    {
        public string ExceptionType => "System.IO.IOException";
        public ExceptionInfo? InnerException => null;
        public string StackTrace => string.Empty;
        public string Source => "test";
        public IDictionary<string, object> Data => new Dictionary<string, object>();
    }
}
