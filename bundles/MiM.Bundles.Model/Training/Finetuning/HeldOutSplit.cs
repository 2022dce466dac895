namespace MiM.Bundles.Model.Training.Finetuning;

/// <summary>
/// Which cases of a data set train and which are held out: dataset.json's <c>validation</c> section when it has one, else
/// the last <see cref="FinetuneDataSettings.ValidationCases"/> entries of <c>training</c>; training uses the first
/// <see cref="FinetuneDataSettings.TrainingCases"/> of the rest. Held-out cases come from the end of the list so that
/// "the first N" training cases never include them.
/// </summary>
internal static class HeldOutSplit
{
    /// <exception cref="InvalidDataException">Too few cases for the settings.</exception>
    public static (IReadOnlyList<T> Training, IReadOnlyList<T> Validation) Split<T>(
        IReadOnlyList<T> all, IReadOnlyList<T> listedValidation, FinetuneDataSettings settings)
    {
        IReadOnlyList<T> validation;
        IReadOnlyList<T> pool;
        if (listedValidation.Count > 0)
        {
            validation = listedValidation;
            pool = all;
        }
        else
        {
            if (all.Count <= settings.ValidationCases)
            {
                throw new InvalidDataException(
                    $"'{settings.Dataset}' lists {all.Count} labelled case(s); {settings.ValidationCases} are held out for validation, which leaves none to train on.");
            }

            validation = [.. all.Skip(all.Count - settings.ValidationCases)];
            pool = [.. all.Take(all.Count - settings.ValidationCases)];
        }

        var wanted = settings.TrainingCases ?? pool.Count;
        if (wanted > pool.Count)
        {
            throw new InvalidDataException($"data.trainingCases is {wanted} but '{settings.Dataset}' has only {pool.Count} labelled case(s) outside validation.");
        }

        return ([.. pool.Take(wanted)], validation);
    }
}
