using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>
/// The durable inbox: each instance is written to a temporary file, fsynced, renamed to its final name and the
/// directory fsynced before the commit returns — the only place received data is made durable.
/// </summary>
public sealed class DurableInbox : IInstanceStore
{
    private readonly InboxOptions _options;
    private readonly string _partial;
    private readonly string _instances;

    /// <summary>Opens (creating when needed) the inbox; partial files a crash left behind are removed.</summary>
    public DurableInbox(InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _partial = Path.Combine(options.Root, ".partial");
        _instances = Path.Combine(options.Root, "instances");
        Directory.CreateDirectory(_partial);
        Directory.CreateDirectory(_instances);
        foreach (var leftover in Directory.EnumerateFiles(_partial))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>The folder holding committed instances.</summary>
    public string InstancesFolder => _instances;

    /// <inheritdoc />
    public ValueTask<IIncomingInstance> BeginAsync(IncomingInstanceInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!IsUid(info.SopInstanceUid))
        {
            // The UID becomes a file name: never let a sender choose a path.
            return ValueTask.FromResult<IIncomingInstance>(new RefusedInstance(
                new StoreOutcome(StoreStatus.Failed, null, $"SOP Instance UID '{info.SopInstanceUid}' is not a valid UID")));
        }

        var free = new DriveInfo(Path.GetFullPath(_options.Root)).AvailableFreeSpace;
        if (free < _options.MinimumFreeBytes)
        {
            return ValueTask.FromResult<IIncomingInstance>(new RefusedInstance(
                new StoreOutcome(StoreStatus.OutOfResources, null, $"free disk {free} bytes is below the inbox threshold {_options.MinimumFreeBytes}")));
        }

        return ValueTask.FromResult<IIncomingInstance>(new IncomingFile(this, info));
    }

    private static bool IsUid(string value)
        => value.Length is > 0 and <= 64 && value.All(c => c is '.' or (>= '0' and <= '9')) && !value.StartsWith('.') && !value.EndsWith('.');

    private static string FileName(string sopInstanceUid) => sopInstanceUid + ".dcm";

    private sealed class IncomingFile : IIncomingInstance
    {
        private readonly DurableInbox _inbox;
        private readonly IncomingInstanceInfo _info;
        private readonly string _temporary;
        private FileStream? _stream;

        public IncomingFile(DurableInbox inbox, IncomingInstanceInfo info)
        {
            _inbox = inbox;
            _info = info;
            _temporary = Path.Combine(inbox._partial, Guid.NewGuid().ToString("N") + ".part");
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            DicomPart10Header.Write(_stream, info.SopClassUid, info.SopInstanceUid, info.TransferSyntaxUid, info.CallingAeTitle);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken)
            => _stream is null ? throw new InvalidOperationException("instance already committed") : _stream.WriteAsync(dataSetBytes, cancellationToken);

        public async ValueTask<StoreOutcome> CommitAsync(CancellationToken cancellationToken)
        {
            var stream = _stream ?? throw new InvalidOperationException("instance already committed");
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;

            var final = Path.Combine(_inbox._instances, FileName(_info.SopInstanceUid));
            if (File.Exists(final))
            {
                File.Delete(_temporary);
                return new StoreOutcome(StoreStatus.Duplicate, final, null);
            }

            File.Move(_temporary, final);
            DirectorySync.Flush(_inbox._instances);
            return new StoreOutcome(StoreStatus.Stored, final, null);
        }

        public async ValueTask DisposeAsync()
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
                _stream = null;
                File.Delete(_temporary);
            }
        }
    }

    private sealed class RefusedInstance(StoreOutcome outcome) : IIncomingInstance
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetBytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<StoreOutcome> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(outcome);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
