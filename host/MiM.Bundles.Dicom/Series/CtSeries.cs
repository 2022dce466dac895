using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Series;

/// <summary>A loaded CT series: the volume in Hounsfield units (stored value × slope + intercept) and what the load found.</summary>
/// <param name="Volume">i = column, j = row, k = slice along row × column; LPS geometry from the headers.</param>
/// <param name="Report">Dropped files, other series and spacing doubts.</param>
public sealed record CtSeries(Volume Volume, SeriesReport Report);
