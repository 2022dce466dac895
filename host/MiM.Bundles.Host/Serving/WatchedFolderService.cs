using System.Buffers.Binary;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// The file adapter at the front of the pipeline: every Part 10 file put into <see cref="ServeOptions.WatchFolder"/>
/// (at any depth) that has been seen unchanged (same length, same modification time) for two seconds is stored into the
/// inbox, as if a peer called "FOLDER" had sent it, and deleted once the inbox holds it durably. A file that is not
/// DICOM moves to <c>.rejected/</c> with a reason.
/// </summary>
/// <remarks>
/// "Unchanged since this service first saw it", not "modified more than two seconds ago": <c>cp -p</c>, <c>rsync -t</c>
/// and .NET's <c>File.Copy</c> stamp the source's old modification time on the copy, so an old time says nothing about
/// whether the copy is still running, and a series imported half now and half a pass later can be split in two.
/// </remarks>
public sealed class WatchedFolderService(DurableInbox inbox, IOptions<ServeOptions> options, TimeProvider time, ILogger<WatchedFolderService> logger) : BackgroundService
{
    /// <summary>The calling AE title recorded for files from the folder.</summary>
    public const string CallingAeTitle = "FOLDER";

    /// <summary>How long a file must stay unchanged before it is imported.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>The pause between passes over the folder.</summary>
    public static readonly TimeSpan PassInterval = TimeSpan.FromSeconds(1);

    // Path -> the file's length and modification time when last looked at, and when it was first seen so.
    private readonly Dictionary<string, (long Length, DateTime Written, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);
    private static readonly DicomTag GroupLength = new(0x0002, 0x0000);
    private static readonly DicomTag MediaSopClass = new(0x0002, 0x0002);
    private static readonly DicomTag MediaSopInstance = new(0x0002, 0x0003);
    private static readonly DicomTag TransferSyntax = new(0x0002, 0x0010);

    /// <summary>One pass over the folder; returns the number of files stored.</summary>
    public async Task<int> ImportOnceAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.WatchFolder!;
        var stored = 0;
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var gone in _seen.Keys.Except(files, StringComparer.Ordinal).ToList())
        {
            _seen.Remove(gone);
        }

        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file);
            if (relative.StartsWith('.') || Path.GetFileName(file).StartsWith('.') || !HasSettled(file))
            {
                continue;
            }

            _seen.Remove(file);

            string? reason;
            try
            {
                reason = await ImportAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomException or InvalidDataException)
            {
                reason = e.Message;
            }

            if (reason is null)
            {
                File.Delete(file);
                stored++;
                continue;
            }

            ServeLog.NotImported(logger, relative, reason);
            var rejected = Path.Combine(folder, ".rejected");
            Directory.CreateDirectory(rejected);
            var target = Path.Combine(rejected, relative.Replace(Path.DirectorySeparatorChar, '_'));
            File.Move(file, target, overwrite: true);
            await File.WriteAllTextAsync(target + ".reason.txt", reason + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WatchFolder is not { Length: > 0 })
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ImportOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(PassInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (IOException)
            {
                // A file still held by its writer, or a share that went away: the next pass tries again.
                await Task.Delay(Settle, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private bool HasSettled(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_seen.TryGetValue(file, out var seen) && seen.Length == info.Length && seen.Written == info.LastWriteTimeUtc)
        {
            return now - seen.Since >= Settle;
        }

        _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
        return false;
    }

    /// <summary>Null when stored (or already there), else why not.</summary>
    private async Task<string?> ImportAsync(string file, CancellationToken cancellationToken)
    {
        var header = DicomFile.Open(file, new DicomReadOptions { PixelData = PixelDataReading.StopBefore });
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        if (bytes.Length < 144 || bytes[128] != 'D' || bytes[129] != 'I' || bytes[130] != 'C' || bytes[131] != 'M')
        {
            return "not a DICOM Part 10 file (no preamble and DICM prefix)";
        }

        // The data set follows the meta group, whose length the first meta element gives: (0002,0000) UL, 12 bytes.
        if (header.Meta.GetLongs(GroupLength) is not [var length] || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(132)) != 0x0002)
        {
            return "its meta group has no group length";
        }

        var start = 132 + 12 + (int)length;
        if (header.Meta.GetUid(MediaSopClass) is not { } sopClass || header.Meta.GetUid(MediaSopInstance) is not { } sopInstance
            || header.Meta.GetUid(TransferSyntax) is not { } syntax || start > bytes.Length)
        {
            return "its meta group lacks the SOP class, SOP instance or transfer syntax";
        }

        var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(sopClass, sopInstance, syntax, CallingAeTitle, options.Value.AeTitle), cancellationToken).ConfigureAwait(false);
        await using (incoming.ConfigureAwait(false))
        {
            await incoming.WriteAsync(bytes.AsMemory(start), cancellationToken).ConfigureAwait(false);
            var outcome = await incoming.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome.Status is StoreStatus.Stored or StoreStatus.Duplicate ? null : $"{outcome.Status}: {outcome.Reason}";
        }
    }
}
