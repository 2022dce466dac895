using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.StructuredReport;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// The demo's destination: a storage SCP on 127.0.0.1 (a free port) in this process, storing what the host sends into a
/// durable inbox, and noting each SEG and SR by the study it belongs to — what a PACS would do with them.
/// </summary>
internal sealed class ResultReceiver : IAsyncDisposable
{
    private readonly DurableInbox _inbox;
    private readonly DicomScp _scp;
    private readonly ConcurrentDictionary<string, string> _segmentations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _reports = new(StringComparer.Ordinal);
    private long _received;

    public ResultReceiver(string aeTitle, string folder, ILoggerFactory logging)
    {
        AeTitle = aeTitle;
        _inbox = new DurableInbox(new InboxOptions { Root = folder, MinimumFreeBytes = 64L << 20 });
        _inbox.InstanceCommitted += (_, instance) => Note(instance);
        _scp = new DicomScp(new DicomScpOptions { AeTitle = aeTitle, Port = 0, BindAddress = IPAddress.Loopback }, _inbox, logging.CreateLogger<DicomScp>());
    }

    /// <summary>Our AE title.</summary>
    public string AeTitle { get; }

    /// <summary>The port we listen on (after <see cref="Start"/>).</summary>
    public int Port => _scp.LocalEndPoint.Port;

    /// <summary>Where received instances are stored.</summary>
    public string InstancesFolder => _inbox.InstancesFolder;

    /// <summary>Instances received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Starts listening.</summary>
    public void Start() => _scp.Start();

    /// <summary>The SEG received for <paramref name="studyInstanceUid"/>, if any.</summary>
    public string? SegmentationOf(string studyInstanceUid) => _segmentations.GetValueOrDefault(studyInstanceUid);

    /// <summary>The SR received for <paramref name="studyInstanceUid"/>, if any.</summary>
    public string? ReportOf(string studyInstanceUid) => _reports.GetValueOrDefault(studyInstanceUid);

    public async ValueTask DisposeAsync()
    {
        await _scp.DisposeAsync().ConfigureAwait(false);
        _inbox.Dispose();
    }

    private void Note(CommittedInstance instance)
    {
        Interlocked.Increment(ref _received);
        switch (instance.SopClassUid)
        {
            case SegmentationReader.SopClassUid:
                _segmentations[instance.StudyInstanceUid] = instance.FilePath;
                break;
            case ClassificationReportWriter.SopClassUid:
                _reports[instance.StudyInstanceUid] = instance.FilePath;
                break;
        }
    }
}
