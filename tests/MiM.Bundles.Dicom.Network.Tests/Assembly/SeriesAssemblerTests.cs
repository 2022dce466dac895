using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Assembly;
using MiM.Bundles.Dicom.Network.Inbox;
using Moq;
using static MiM.Bundles.Dicom.Network.Tests.Inbox.ImplicitDataSet;

namespace MiM.Bundles.Dicom.Network.Tests.Assembly;

public sealed class SeriesAssemblerTests : IDisposable
{
    private const string StudyA = "1.2.826.0.2.1";
    private const string SeriesA1 = "1.2.826.0.2.1.1";
    private const string SeriesA2 = "1.2.826.0.2.1.2";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mim-assembler-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new();
    private readonly List<CompletedSeries> _handedOn = [];
    private readonly Mock<ICompletedSeriesHandler> _handler = new();

    public SeriesAssemblerTests()
    {
        _handler.Setup(h => h.HandleAsync(It.IsAny<CompletedSeries>(), It.IsAny<CancellationToken>()))
            .Callback<CompletedSeries, CancellationToken>((group, _) => _handedOn.Add(group))
            .Returns(Task.CompletedTask);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private DurableInbox OpenInbox() => new(new InboxOptions { Root = Path.Combine(_root, "inbox"), MinimumFreeBytes = 0 });

    private SeriesAssembler Start(DurableInbox inbox, AssemblyGrouping groupBy = AssemblyGrouping.Series, TimeProvider? clock = null)
    {
        var assembler = new SeriesAssembler(new SeriesAssemblerOptions { GroupBy = groupBy, QuietPeriod = Quiet, StateFolder = Path.Combine(_root, "assembled") }, _handler.Object, clock ?? _clock);
        assembler.Start(inbox);
        return assembler;
    }

    [Fact]
    public async Task Series_is_handed_on_once_after_the_quiet_period_following_its_last_instance()
    {
        var inbox = OpenInbox();
        await using var assembler = Start(inbox);
        for (var i = 0; i < 3; i++)
        {
            await StoreAsync(inbox, StudyA, SeriesA1, $"1.2.3.{i}", callingAe: "CT01");
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        _clock.Advance(Quiet - TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        await assembler.DrainAsync();
        Assert.Empty(_handedOn);
        Assert.Equal(1, assembler.PendingGroups);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _clock.Advance(Quiet * 3);
        await assembler.DrainAsync();

        var group = Assert.Single(_handedOn);
        Assert.Equal((SeriesA1, AssemblyGrouping.Series, 1, 3, 1), (group.Key, group.GroupBy, group.Generation, group.InstanceCount, group.SeriesCount));
        Assert.Equal(["CT01"], group.CallingAeTitles);
        Assert.Equal([.. Enumerable.Range(0, 3).Select(i => inbox.Find($"1.2.3.{i}")!)], group.InstancePaths);
        Assert.Equal(0, assembler.PendingGroups);
    }

    [Fact]
    public async Task Two_series_of_a_study_are_two_groups_by_series_and_one_group_by_study()
    {
        var inbox = OpenInbox();
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.4.1");
        await StoreAsync(inbox, StudyA, SeriesA2, "1.2.4.2", callingAe: "CT02");
        await using (var bySeries = Start(inbox))
        {
            _clock.Advance(Quiet);
            await bySeries.DrainAsync();
        }

        Assert.Equal([SeriesA1, SeriesA2], _handedOn.Select(g => g.Key).Order());

        _handedOn.Clear();
        Directory.Delete(Path.Combine(_root, "assembled"), recursive: true);
        await using var byStudy = Start(inbox, AssemblyGrouping.Study);
        _clock.Advance(Quiet);
        await byStudy.DrainAsync();

        var study = Assert.Single(_handedOn);
        Assert.Equal((StudyA, AssemblyGrouping.Study, 2, 2), (study.Key, study.GroupBy, study.InstanceCount, study.SeriesCount));
        Assert.Equal(["CT02", "SENDER"], study.CallingAeTitles.Order());
    }

    [Fact]
    public async Task Instance_arriving_after_its_series_was_handed_on_starts_a_new_generation()
    {
        var inbox = OpenInbox();
        await using var assembler = Start(inbox);
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.5.1");
        _clock.Advance(Quiet);
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.5.2");
        _clock.Advance(Quiet);
        await assembler.DrainAsync();

        Assert.Equal([(1, "1.2.5.1"), (2, "1.2.5.2")], _handedOn.Select(g => (g.Generation, Assert.Single(g.Instances).SopInstanceUid)));
    }

    [Fact]
    public async Task After_a_restart_pending_instances_are_pending_again_and_handed_on_groups_are_not_handed_on_twice()
    {
        // The crashed process has its own clock, which stops with it: its pending timers never fire again.
        var crashedClock = new FakeTimeProvider();
        var inbox = OpenInbox();
        var crashed = Start(inbox, clock: crashedClock);
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.6.1");
        crashedClock.Advance(Quiet);
        await crashed.DrainAsync();
        await StoreAsync(inbox, StudyA, SeriesA2, "1.2.6.2");
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.6.3"); // late: generation 2 of series A1, not handed on yet
        Assert.Single(_handedOn);
        Assert.Equal(2, crashed.PendingGroups);

        // The crash: the assembler is abandoned without DisposeAsync; inbox and assembler are opened again from disk.

        inbox.Dispose(); // the crashed process's folder lock went with it
        var reopened = OpenInbox();
        await using var second = Start(reopened);
        Assert.Equal(2, second.PendingGroups);
        _clock.Advance(Quiet);
        await second.DrainAsync();

        Assert.Equal(3, _handedOn.Count);
        Assert.Equal([(SeriesA1, 2, "1.2.6.3"), (SeriesA2, 1, "1.2.6.2")], _handedOn.Skip(1).Select(g => (g.Key, g.Generation, Assert.Single(g.Instances).SopInstanceUid)).Order());

        // And a third start finds nothing left to hand on.
        reopened.Dispose();
        await using var third = Start(OpenInbox());
        _clock.Advance(Quiet * 2);
        await third.DrainAsync();
        Assert.Equal(0, third.PendingGroups);
        Assert.Equal(3, _handedOn.Count);
    }

    [Fact]
    public async Task Group_whose_hand_off_fails_is_pending_again_and_handed_on_after_another_quiet_period()
    {
        var calls = 0;
        _handler.Setup(h => h.HandleAsync(It.IsAny<CompletedSeries>(), It.IsAny<CancellationToken>()))
            .Returns<CompletedSeries, CancellationToken>((group, _) =>
            {
                if (++calls == 1)
                {
                    return Task.FromException(new InvalidOperationException("router down"));
                }

                _handedOn.Add(group);
                return Task.CompletedTask;
            });
        var inbox = OpenInbox();
        await using var assembler = Start(inbox);
        await StoreAsync(inbox, StudyA, SeriesA1, "1.2.7.1");
        _clock.Advance(Quiet);
        await assembler.DrainAsync();
        Assert.Empty(_handedOn);
        Assert.Equal(1, assembler.PendingGroups);

        _clock.Advance(Quiet);
        await assembler.DrainAsync();

        var group = Assert.Single(_handedOn);
        Assert.Equal((1, 1), (group.Generation, group.InstanceCount));
        Assert.Equal(1, assembler.HandedOnCount);
    }
}
