using MiM.Bundles.Model.Data;

namespace MiM.Bundles.Model.Tests.Data;

public sealed class PretrainDatasetSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Folder_scan_finds_nii_and_nii_gz_recursively_sorted_and_ignores_other_files()
    {
        var b = _temp.File("b.nii");
        var a = _temp.File("sub/deeper/a.nii.gz");
        var upper = _temp.File("C.NII.GZ");
        _temp.File("notes.txt");
        _temp.File("image.nii.gz.bak");
        _temp.File("sub/dataset.json", "{}");

        var source = PretrainDatasetSource.Open(_temp.Path);

        string[] expected = [b, upper, a];
        Assert.Equal(expected.Order(StringComparer.Ordinal), source.Files);
    }

    [Fact]
    public void Folder_scan_leaves_out_label_folders()
    {
        var image = _temp.File("imagesTr/case.nii.gz");
        _temp.File("labelsTr/case.nii.gz");
        _temp.File("sub/LabelsTs/other.nii.gz");

        var source = PretrainDatasetSource.Open(_temp.Path);

        Assert.Equal([image], source.Files);
    }

    [Fact]
    public void Msd_folder_is_read_through_its_dataset_json()
    {
        var listed = _temp.File("imagesTr/listed.nii.gz");
        _temp.File("imagesTr/unlisted.nii.gz");
        _temp.File("dataset.json", """{ "training": [ { "image": "./imagesTr/listed.nii.gz", "label": "./labelsTr/listed.nii.gz" } ] }""");

        var source = PretrainDatasetSource.Open(_temp.Path);

        Assert.Equal([listed], source.Files);
    }

    [Fact]
    public void List_file_resolves_relative_lines_against_its_folder_and_skips_blanks_and_comments()
    {
        var absolute = Path.Combine(_temp.Path, "elsewhere", "z.nii.gz");
        var list = _temp.File("lists/train.txt", $"# pre-training set\n../images/one.nii.gz\n\n   two.nii  \n  # not this\n{absolute}\n");

        var source = PretrainDatasetSource.Open(list);

        Assert.Equal(
            [Path.Combine(_temp.Path, "images", "one.nii.gz"), Path.Combine(_temp.Path, "lists", "two.nii"), absolute],
            source.Files);
    }

    [Fact]
    public void Dataset_json_yields_training_images_and_test_entries_relative_to_its_folder()
    {
        var json = _temp.File("msd/dataset.json", """
            {
              "name": "x",
              "training": [ { "image": "./imagesTr/a.nii.gz", "label": "./labelsTr/a.nii.gz" },
                            { "image": "./imagesTr/b.nii.gz", "label": "./labelsTr/b.nii.gz" } ],
              "test": [ "./imagesTs/c.nii.gz", { "image": "imagesTs/d.nii.gz" } ]
            }
            """);

        var source = PretrainDatasetSource.Open(json);

        var root = Path.Combine(_temp.Path, "msd");
        Assert.Equal(
            [Path.Combine(root, "imagesTr", "a.nii.gz"), Path.Combine(root, "imagesTr", "b.nii.gz"),
             Path.Combine(root, "imagesTs", "c.nii.gz"), Path.Combine(root, "imagesTs", "d.nii.gz")],
            source.Files);
    }

    [Fact]
    public void Malformed_dataset_json_fails_naming_the_file()
    {
        var json = _temp.File("dataset.json", "{ \"training\": [ ");

        var error = Assert.Throws<PretrainDataException>(() => PretrainDatasetSource.Open(json));

        Assert.Contains(json, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_nifti_file_is_a_source_of_one()
    {
        var file = _temp.File("only.nii.gz");

        Assert.Equal([file], PretrainDatasetSource.Open(file).Files);
    }

    [Fact]
    public void Folder_without_images_fails_saying_where_it_looked()
    {
        _temp.File("readme.md", "nothing here");

        var error = Assert.Throws<PretrainDataException>(() => PretrainDatasetSource.Open(_temp.Path));

        Assert.Contains(_temp.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("*.nii", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_of_only_comments_fails_saying_where_it_looked()
    {
        var list = _temp.File("empty.txt", "# nothing\n\n");

        var error = Assert.Throws<PretrainDataException>(() => PretrainDatasetSource.Open(list));

        Assert.Contains(list, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_path_fails_with_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => PretrainDatasetSource.Open(Path.Combine(_temp.Path, "absent")));
    }
}
