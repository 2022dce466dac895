namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>How liver lesions look, when a case has them.</summary>
public enum LesionStyle
{
    /// <summary>
    /// One to three lesions with semi-axes of 15–35 mm, all hypo- or all hyper-dense, 40–90 HU off the liver: metastases
    /// as a radiologist meets them, and too subtle for the unit-size classifier to learn from whole 32³ volumes.
    /// </summary>
    Subtle,

    /// <summary>
    /// One or two large hypo-dense lesions (semi-axes 35–50 mm, 110–160 HU below the liver, like cysts or necrotic
    /// metastases), kept at least 20 mm inside the liver so that each is a dark hole in it rather than a dent in its edge
    /// (where it would look like the fat outside): what a small classifier on a whole, coarsely resampled volume may learn.
    /// </summary>
    Conspicuous,
}
