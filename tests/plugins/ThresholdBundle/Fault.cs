namespace ThresholdBundle;

/// <summary>How a test head misbehaves.</summary>
internal enum Fault
{
    None,
    Throw,
    Hang,
    OutOfMemory,
    WarmUp,
    SlowWarmUp,
}
