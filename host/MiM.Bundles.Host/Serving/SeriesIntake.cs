using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Assembly;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Routing;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Where the assembler hands a complete series on: routes it over the serving bundles and writes a job record per
/// accepting bundle version before returning (the assembler acknowledges the hand-on — writes its marker — only
/// after that, so a crash between the two hands the series on again and finds the same jobs). A bundle id with a shadow
/// candidate gets a second, shadow job for the same series, tied to the serving job it is compared with. A series no
/// bundle takes is logged with each bundle's reason and kept for the API.
/// </summary>
public sealed class SeriesIntake(
    BundleCatalog catalog,
    SeriesRouter router,
    JobStore jobs,
    JobProcessor processor,
    UnroutedSeriesLog unrouted,
    IAuditLog audit,
    TimeProvider time,
    ILogger<SeriesIntake> logger) : ICompletedSeriesHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(CompletedSeries group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        // The assembler groups by series here: one series per group (a study grouping would split it first).
        foreach (var series in group.Instances.GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal))
        {
            Take(group, [.. series]);
        }

        return Task.CompletedTask;
    }

    private void Take(CompletedSeries group, IReadOnlyList<Dicom.Network.Inbox.CommittedInstance> instances)
    {
        var first = instances[0];
        var callers = string.Join(",", instances.Select(i => i.CallingAeTitle).Distinct(StringComparer.Ordinal));
        audit.Append(new AuditEvent(time.GetUtcNow(), "received", callers, first.StudyInstanceUid, first.SeriesInstanceUid, Detail: $"{instances.Count} instances, generation {group.Generation}"));
        RoutingDecision decision;
        try
        {
            var header = DicomFile.Open(first.FilePath, new DicomReadOptions { PixelData = PixelDataReading.StopBefore }).Dataset;
            decision = router.Route(SeriesAttributes.FromHeader(header, instances.Count), catalog.AllServing);
        }
        catch (Exception e) when (e is DicomException or IOException)
        {
            decision = new RoutingDecision([], [new RoutingRefusal("(host)", "", $"its header cannot be read: {e.Message}")]);
        }

        if (decision.Accepted.Count == 0)
        {
            var entry = new UnroutedSeries(first.StudyInstanceUid, first.SeriesInstanceUid, time.GetUtcNow(), decision.Refusals);
            unrouted.Add(entry);
            var reasons = decision.Refusals.Count == 0 ? "no bundle is serving" : string.Join(" | ", decision.Refusals.Select(r => $"{r.BundleId} {r.BundleVersion}: {r.Reason}"));
            ServeLog.Unrouted(logger, first.SeriesInstanceUid, first.StudyInstanceUid, reasons);
            audit.Append(new AuditEvent(time.GetUtcNow(), "unrouted", callers, first.StudyInstanceUid, first.SeriesInstanceUid, Detail: reasons));
            return;
        }

        var names = string.Join(", ", decision.Accepted.Select(v => v.Name));
        ServeLog.Routed(logger, first.SeriesInstanceUid, first.StudyInstanceUid, group.Generation, instances.Count, callers, names);
        var created = time.GetUtcNow();
        foreach (var version in decision.Accepted)
        {
            var record = new JobRecord
            {
                Id = JobRecord.IdOf(first.SeriesInstanceUid, group.Generation, version.Id!, version.Version!.ToString()),
                StudyInstanceUid = first.StudyInstanceUid,
                SeriesInstanceUid = first.SeriesInstanceUid,
                Generation = group.Generation,
                BundleId = version.Id!,
                BundleVersion = version.Version.ToString(),
                CallingAeTitles = [.. instances.Select(i => i.CallingAeTitle).Distinct(StringComparer.Ordinal)],
                InstancePaths = [.. instances.Select(i => i.FilePath)],
                Created = created,
            };

            // A job that exists already was written before a crash that came before the assembler's marker: it is
            // resumed from its record at start-up, not created twice.
            jobs.TryCreate(record);
            if (catalog.Shadow(record.BundleId)?.Version is { } candidate)
            {
                // The shadow runs on what the serving version accepted: the same series, judged by the same rules.
                jobs.TryCreate(new JobRecord
                {
                    Id = JobRecord.IdOf(record.SeriesInstanceUid, record.Generation, record.BundleId, candidate.ToString()),
                    StudyInstanceUid = record.StudyInstanceUid,
                    SeriesInstanceUid = record.SeriesInstanceUid,
                    Generation = record.Generation,
                    BundleId = record.BundleId,
                    BundleVersion = candidate.ToString(),
                    CallingAeTitles = record.CallingAeTitles,
                    InstancePaths = record.InstancePaths,
                    Created = created,
                    Shadow = true,
                    ShadowOf = record.Id,
                });
            }
        }

        processor.Enqueue($"{first.SeriesInstanceUid}#{group.Generation}");
    }
}
