namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>Takes complete groups from the series assembler (the router, in the host).</summary>
public interface ICompletedSeriesHandler
{
    /// <summary>
    /// Takes one complete group. The assembler records the group as handed on only after this returns; when it
    /// throws, the group is pending again and handed on after another quiet period.
    /// </summary>
    Task HandleAsync(CompletedSeries group, CancellationToken cancellationToken);
}
