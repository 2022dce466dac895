using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace MiM.Bundles.Dicom.Uids;

/// <summary>The UIDs of one derived result (a DICOM-SEG or SR): its series, its instance and, for a SEG, its dimension organization.</summary>
/// <param name="SeriesInstanceUid">The result's own series.</param>
/// <param name="SopInstanceUid">The result object.</param>
/// <param name="DimensionOrganizationUid">The multi-frame dimension organization of a SEG.</param>
public sealed record ResultUids(string SeriesInstanceUid, string SopInstanceUid, string DimensionOrganizationUid);

/// <summary>
/// Makes UIDs for a result that are unique per result yet traceable: each is "2.25." followed by the decimal form of a
/// 128-bit name-based UUID (version 8, RFC 9562) hashed with SHA-256 from the source Series Instance UID, the bundle name
/// and version, and a per-result nonce. The same inputs give the same UIDs (a retried write replaces, not duplicates);
/// a new nonce gives new ones. The inputs themselves are recorded in the object by the writers, since a hash cannot be
/// read back.
/// </summary>
public static class ResultUidGenerator
{
    /// <summary>The UIDs for one result.</summary>
    /// <param name="sourceSeriesUid">The Series Instance UID of the series the result was computed from.</param>
    /// <param name="bundleName">The bundle (model) name.</param>
    /// <param name="bundleVersion">The bundle version.</param>
    /// <param name="nonce">Distinguishes results of the same bundle on the same series (a job id, or a new GUID).</param>
    public static ResultUids Create(string sourceSeriesUid, string bundleName, string bundleVersion, Guid nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceSeriesUid);
        ArgumentNullException.ThrowIfNull(bundleName);
        ArgumentNullException.ThrowIfNull(bundleVersion);
        string Uid(string role) => Derive(role, sourceSeriesUid, bundleName, bundleVersion, nonce.ToString("D"));
        return new ResultUids(Uid("series"), Uid("instance"), Uid("dimension-organization"));
    }

    /// <summary>A "2.25." UID from the SHA-256 of <paramref name="parts"/> (joined unambiguously).</summary>
    public static string Derive(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        // Length-prefixing each part keeps ("a", "bc") and ("ab", "c") apart.
        var text = string.Concat(parts.Select(p => $"{p.Length}:{p};"));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var uuid = hash.AsSpan(0, 16).ToArray();
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8: custom, here name-based on SHA-256
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC 4122/9562 variant
        return "2.25." + new BigInteger(uuid, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
