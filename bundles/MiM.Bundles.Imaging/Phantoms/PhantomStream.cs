namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// Independent random streams of one case. Each structure draws from its own stream so that
/// changing how one structure is sampled leaves every other structure of the same seed unchanged.
/// </summary>
internal enum PhantomStream
{
    Geometry = 1,
    Body,
    Spine,
    Ribs,
    Vessels,
    Thorax,
    Liver,
    Spleen,
    Kidneys,
    Bowel,
    Tissues,
    Scanner,
    Noise,
    Muscles,
    Lesions,
}
