namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>Everything about one axial slice that does not change within it, worked out once per slice.</summary>
/// <param name="K">The slice index.</param>
/// <param name="Z">Its anatomy-frame z.</param>
/// <param name="Body">The body outline and wall.</param>
/// <param name="Vertebra">The spine.</param>
/// <param name="Vessels">The great vessels.</param>
/// <param name="Organs">The labelled organ shapes whose bounding boxes meet this slice, in priority order.</param>
/// <param name="Viscera">The hollow organs whose bounding boxes meet this slice.</param>
/// <param name="RibDepth">The deepest a rib can be below the skin in this slice; negative when no rib reaches it.</param>
internal sealed record AnatomySlice(
    int K,
    double Z,
    BodyCrossSection Body,
    VertebraSlice Vertebra,
    VesselSlice Vessels,
    LabelledShape[] Organs,
    HollowViscus[] Viscera,
    double RibDepth);
