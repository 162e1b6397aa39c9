using MassTransit;

namespace Orchestrator.Tests;

/// <summary>
/// A <see cref="Fault{T}"/> as MassTransit publishes it when a consumer throws after its retries; a saga's exception
/// comes wrapped (<paramref name="Wrapper"/>: MassTransit's <c>EventExecutionException</c> around the saga's own).
/// </summary>
public sealed record FaultStub<T>(T Message, string ExceptionMessage, string? Wrapper = null) : Fault<T>
{
    public Guid FaultId { get; } = NewId.NextGuid();
    public Guid? FaultedMessageId => null;
    public DateTime Timestamp { get; } = DateTime.UtcNow;
    public ExceptionInfo[] Exceptions =>
    [
        Wrapper is null
            ? new ExceptionInfoStub("System.IO.IOException", ExceptionMessage, null)
            : new ExceptionInfoStub("MassTransit.EventExecutionException", Wrapper, new ExceptionInfoStub("System.NullReferenceException", ExceptionMessage, null)),
    ];
    public HostInfo Host => null!;
    public string[] FaultMessageTypes => [];

    private sealed record ExceptionInfoStub(string ExceptionType, string Message, ExceptionInfo? InnerException) : ExceptionInfo
    {
        public string StackTrace => string.Empty;
        public string Source => "test";
        public IDictionary<string, object> Data => new Dictionary<string, object>();
    }
}
