namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>A solid organ (or one part of it) with the tissue it is made of and its label value.</summary>
internal sealed record LabelledShape(OrganShape Shape, Tissue Tissue, ushort Label);
