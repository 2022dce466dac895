using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>The association limit holds at accept: a connection beyond it is refused before anything of it is read.</summary>
public sealed class ScpAcceptLimitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly ProposedPresentationContext Ct = new(1, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian]);

    [Fact]
    public async Task Connection_beyond_the_limit_is_rejected_transiently_at_accept_before_it_sends_anything()
    {
        // ARTIM is long: an SCP that waited for the A-ASSOCIATE-RQ would say nothing within the test's wait.
        await using var scp = ScpFixture.Start(o => o with { MaximumAssociations = 1, ArtimTimeout = TimeSpan.FromSeconds(30) });
        using var first = await RawPeer.ConnectAsync(scp.Port);
        await first.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await first.ReceiveAsync(Wait))?.Type);

        using var second = await RawPeer.ConnectAsync(scp.Port);
        var reject = await second.ReceiveAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(PduType.AssociateReject, reject?.Type);
        Assert.Equal([0, 2, 3, 2], reject!.Value.Body);
        Assert.True(await second.IsClosedAsync(Wait));
        Assert.Equal(1, scp.Scp.ActiveAssociations);
    }

    [Fact]
    public async Task Many_connections_beyond_the_limit_are_all_closed_and_the_slot_is_free_again_afterwards()
    {
        await using var scp = ScpFixture.Start(o => o with { MaximumAssociations = 1, ArtimTimeout = TimeSpan.FromSeconds(30) });
        using var first = await RawPeer.ConnectAsync(scp.Port);
        await first.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await first.ReceiveAsync(Wait))?.Type);

        // Each claims a large A-ASSOCIATE-RQ and sends a few bytes of it: none may be kept open waiting for the rest.
        // Beyond twice the limit the SCP resets at once, which may already fail the connect or the send: closed too.
        var flood = new List<RawPeer>();
        for (var i = 0; i < 20; i++)
        {
            try
            {
                var peer = await RawPeer.ConnectAsync(scp.Port);
                flood.Add(peer);
                await peer.SendAsync([0x01, 0, 0x00, 0x03, 0xFF, 0x00, 0, 1, 0, 0]);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
            }
        }

        foreach (var peer in flood)
        {
            Assert.True(await peer.IsClosedAsync(Wait));
            peer.Dispose();
        }

        await first.SendAsync(AssociationPduCodec.EncodeReleaseRequest());
        Assert.Equal(PduType.ReleaseResponse, (await first.ReceiveAsync(Wait))?.Type);
        first.Dispose();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (scp.Scp.ActiveAssociations > 0 && clock.Elapsed < Wait)
        {
            await Task.Delay(20);
        }

        using var later = await RawPeer.ConnectAsync(scp.Port);
        await later.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await later.ReceiveAsync(Wait))?.Type);
    }
}
