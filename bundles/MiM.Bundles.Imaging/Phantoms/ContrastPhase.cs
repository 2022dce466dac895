namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>When the simulated scan was taken relative to an intravenous contrast injection.</summary>
internal enum ContrastPhase
{
    /// <summary>No contrast: blood and parenchyma at their native attenuation.</summary>
    NonContrast,

    /// <summary>About 70 s after injection: enhanced liver, spleen, kidneys and vessels.</summary>
    PortalVenous,
}
