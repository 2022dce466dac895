namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>One record's state from reservation to checkpoint.</summary>
internal sealed class JournalEntry(long sequence, JournalSegment segment)
{
    /// <summary>The record's sequence.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>The segment it was written to.</summary>
    public JournalSegment Segment { get; } = segment;

    /// <summary>Completes once the record is durable (every record before it too); faults when the journal broke first.</summary>
    public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Its bytes are in the segment (not necessarily durable yet).</summary>
    public bool Written { get; set; }

    /// <summary>The inbox is done with it: its instance file is in place (<see cref="MaterialisedPath"/>) or it was given up.</summary>
    public bool Settled { get; set; }

    /// <summary>The instance file written from the same bytes, which a checkpoint fsyncs; null when given up.</summary>
    public string? MaterialisedPath { get; set; }
}
