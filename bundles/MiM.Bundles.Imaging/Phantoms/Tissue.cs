namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>The materials a phantom voxel can be made of; <see cref="TissueModel"/> gives each its HU.</summary>
internal enum Tissue : byte
{
    Air,
    Skin,
    SubcutaneousFat,
    VisceralFat,
    Muscle,
    Lung,
    Liver,
    Spleen,
    Kidney,
    ArterialBlood,
    VenousBlood,
    Heart,
    CancellousBone,
    CorticalBone,
    PosteriorElementBone,
    IntervertebralDisc,
    RibBone,
    SpinalCanal,
    BowelWall,
    BowelFluid,
    BowelGas,
    Faeces,
}
