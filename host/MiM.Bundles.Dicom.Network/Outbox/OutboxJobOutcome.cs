namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>An outbox job that left its queue: delivered, or dead-lettered with <see cref="Error"/>.</summary>
/// <param name="Destination">The destination's name.</param>
/// <param name="Job">The job id <see cref="DicomOutbox.EnqueueAsync"/> returned.</param>
/// <param name="Error">Why it was dead-lettered; null when it was delivered.</param>
public sealed record OutboxJobOutcome(string Destination, string Job, string? Error);
