namespace Orchestrator.Integration;

/// <summary>A feature-ended notification that at least one webhook did not accept; the message names each and why.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);
