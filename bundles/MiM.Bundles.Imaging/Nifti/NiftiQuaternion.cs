using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// The qform rotation of NIfTI-1: a unit quaternion (a, b, c, d) stored as b, c, d with a ≥ 0, plus qfac = ±1,
/// which mirrors the third axis so that left-handed grids can be described by a proper rotation.
/// Formulas follow nifti1.h and nifti1_io.c (nifti_quatern_to_mat44, nifti_mat44_to_quatern).
/// </summary>
internal readonly record struct NiftiQuaternion(double B, double C, double D, double QFac)
{
    /// <summary>The rotation matrix columns (unit vectors of i, j, k) with qfac already applied to the third.</summary>
    public (Vector3D I, Vector3D J, Vector3D K) ToAxes()
    {
        // a is implied; rounding in the stored floats can push b²+c²+d² a hair over 1, so renormalise then.
        var b = B;
        var c = C;
        var d = D;
        var aSquared = 1.0 - ((b * b) + (c * c) + (d * d));
        double a;
        if (aSquared < 1e-7)
        {
            var norm = Math.Sqrt((b * b) + (c * c) + (d * d));
            b /= norm;
            c /= norm;
            d /= norm;
            a = 0;
        }
        else
        {
            a = Math.Sqrt(aSquared);
        }

        var i = new Vector3D((a * a) + (b * b) - (c * c) - (d * d), 2 * ((b * c) + (a * d)), 2 * ((b * d) - (a * c)));
        var j = new Vector3D(2 * ((b * c) - (a * d)), (a * a) + (c * c) - (b * b) - (d * d), 2 * ((c * d) + (a * b)));
        var k = new Vector3D(2 * ((b * d) + (a * c)), 2 * ((c * d) - (a * b)), (a * a) + (d * d) - (c * c) - (b * b));
        return (i, j, k * (QFac < 0 ? -1.0 : 1.0));
    }

    /// <summary>The quaternion and qfac of an orthonormal matrix given by its columns; a mirrored one gets qfac = -1.</summary>
    public static NiftiQuaternion FromAxes(Vector3D i, Vector3D j, Vector3D k)
    {
        var qfac = i.Dot(j.Cross(k)) < 0 ? -1.0 : 1.0;
        k *= qfac;

        // r[row, column] in the notation of nifti_mat44_to_quatern.
        double r11 = i.X, r21 = i.Y, r31 = i.Z;
        double r12 = j.X, r22 = j.Y, r32 = j.Z;
        double r13 = k.X, r23 = k.Y, r33 = k.Z;
        double a, b, c, d;
        var trace = r11 + r22 + r33 + 1.0;
        if (trace > 0.5)
        {
            a = 0.5 * Math.Sqrt(trace);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        }
        else
        {
            var xd = 1.0 + r11 - (r22 + r33);
            var yd = 1.0 + r22 - (r11 + r33);
            var zd = 1.0 + r33 - (r11 + r22);
            if (xd > 1.0)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            }
            else if (yd > 1.0)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }

            if (a < 0)
            {
                b = -b;
                c = -c;
                d = -d;
            }
        }

        return new NiftiQuaternion(b, c, d, qfac);
    }
}
