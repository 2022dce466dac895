namespace MiM.Bundles.Imaging.Nifti;

/// <summary>A file is not a NIfTI-1 image this project can read; the message names the file and the problem.</summary>
public sealed class NiftiFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a description of <paramref name="problem"/>.</summary>
    public NiftiFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"NIfTI file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates the exception with a bare message (exception-pattern constructor).</summary>
    public NiftiFormatException()
        : this(string.Empty, "not a readable NIfTI-1 file")
    {
    }

    /// <summary>Creates the exception with a bare message (exception-pattern constructor).</summary>
    public NiftiFormatException(string message)
        : base(message)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    /// <summary>Creates the exception with a bare message and cause (exception-pattern constructor).</summary>
    public NiftiFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
