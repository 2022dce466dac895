namespace MiM.Bundles.Dicom.Codecs;

/// <summary>The seven lossless predictors of T.81 Table H.1 (Ra left, Rb above, Rc above-left).</summary>
internal static class LosslessPredictor
{
    public static int Predict(int selection, int ra, int rb, int rc) => selection switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };
}
