using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Series;

/// <summary>A loaded CT series: the volume in Hounsfield units (stored value × slope + intercept) and what the load found.</summary>
/// <param name="Volume">i = column, j = row, k = slice along row × column; LPS geometry from the headers.</param>
/// <param name="Report">Dropped files, other series and spacing doubts.</param>
public sealed record CtSeries(Volume Volume, SeriesReport Report);

/// <summary>A CT series' grid and report from its headers alone (<see cref="CtSeriesLoader.ScanFolder"/>): no pixels read.</summary>
/// <param name="Geometry">The grid <see cref="CtSeriesLoader.LoadFolder"/> would give the volume.</param>
/// <param name="Report">Dropped files, other series and spacing doubts.</param>
public sealed record SeriesScan(VolumeGeometry Geometry, SeriesReport Report);
