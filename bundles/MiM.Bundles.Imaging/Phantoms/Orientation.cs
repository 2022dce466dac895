namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>A rotation given as the three local unit axes (rows) expressed in the anatomy frame.</summary>
internal readonly struct Orientation
{
    private Orientation(double[] rows) => Rows = rows;

    /// <summary>Row-major 3×3: rows 0, 1, 2 are the local u, v, w axes.</summary>
    public double[] Rows { get; }

    /// <summary>
    /// Rotation by <paramref name="yaw"/> about z, then <paramref name="pitch"/> about y, then <paramref name="roll"/>
    /// about x (radians). With <paramref name="mirrorX"/> the u axis points to the patient's right instead, so that
    /// left and right organs share one parameterisation (u = lateral).
    /// </summary>
    public static Orientation FromAngles(double yaw, double pitch, double roll, bool mirrorX = false)
    {
        double cz = Math.Cos(yaw), sz = Math.Sin(yaw);
        double cy = Math.Cos(pitch), sy = Math.Sin(pitch);
        double cx = Math.Cos(roll), sx = Math.Sin(roll);

        // R = Rx(roll) · Ry(pitch) · Rz(yaw); its rows map anatomy vectors to local coordinates.
        double[] r =
        [
            cy * cz, cy * sz, -sy,
            (sx * sy * cz) - (cx * sz), (sx * sy * sz) + (cx * cz), sx * cy,
            (cx * sy * cz) + (sx * sz), (cx * sy * sz) - (sx * cz), cx * cy,
        ];
        if (mirrorX)
        {
            // Mirroring the anatomy frame's x makes a left organ's shape the right one's.
            r[0] = -r[0];
            r[3] = -r[3];
            r[6] = -r[6];
        }

        return new Orientation(r);
    }
}
