using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MiM.Bundles.Host.Configuration;
using Semver;

namespace MiM.Bundles.Host.Tests.Configuration;

public sealed class BundleHostSettingsTests
{
    private static BundleHostSettings Read(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        return BundleHostSettings.Read(configuration.GetSection("Mim"), "/default/bundles");
    }

    private static SemVersion V(string text) => SemVersion.Parse(text, SemVersionStyles.Strict);

    [Fact]
    public void The_shipped_appsettings_read_with_the_defaults_and_no_pins()
    {
        var settings = Read(File.ReadAllText(RepositoryFiles.Path("configs", "appsettings.json")));
        Assert.Equal("/default/bundles", settings.Catalog.Directory);
        Assert.True(settings.Catalog.Pins.Allows("anything", V("9.9.9")));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Catalog.RescanInterval);
        Assert.Equal(16, settings.Workers.QueueCapacity);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Workers.JobTimeout);
    }

    [Fact]
    public void Pins_by_version_and_by_range_limit_what_may_serve()
    {
        var settings = Read("""{ "Mim": { "BundleDirectory": "/srv/bundles", "Bundles": { "Pins": { "liver": "1.2.0", "mim-encoder": "^1.0" }, "JobTimeoutSeconds": 5 } } }""");
        Assert.Equal("/srv/bundles", settings.Catalog.Directory);
        Assert.True(settings.Catalog.Pins.Allows("liver", V("1.2.0")));
        Assert.False(settings.Catalog.Pins.Allows("liver", V("1.3.0")));
        Assert.True(settings.Catalog.Pins.Allows("mim-encoder", V("1.4.2")));
        Assert.False(settings.Catalog.Pins.Allows("mim-encoder", V("2.0.0")));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Workers.JobTimeout);
    }

    [Fact]
    public void A_malformed_pin_or_number_is_refused_naming_it()
    {
        var pin = Assert.Throws<FormatException>(() => Read("""{ "Mim": { "Bundles": { "Pins": { "liver": "latest" } } } }"""));
        Assert.Equal("pin of liver: \"latest\" is neither a version nor a range", pin.Message);
        var number = Assert.Throws<FormatException>(() => Read("""{ "Mim": { "Bundles": { "QueueCapacity": 0 } } }"""));
        Assert.Equal("Mim:Bundles:QueueCapacity must be a positive number, is '0'", number.Message);
    }

    [Fact]
    public void A_trust_store_turns_on_verification_on_load_and_require_signed_needs_one()
    {
        using var temp = new Catalog.TempDirectory();
        using (var key = Packaging.Keys.PublisherSigningKey.Generate("acme", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30)))
        {
            key.Save(temp.Path);
        }

        var path = JsonEncodedText.Encode(System.IO.Path.Combine(temp.Path, "acme.pub"));
        var settings = Read($$"""{ "Mim": { "Bundles": { "Trust": "{{path}}", "RequireSigned": true } } }""");
        Assert.True(settings.Catalog.Trust!.Publishers.ContainsKey("acme"));
        Assert.True(settings.Catalog.RequireSigned);
        Assert.Null(Read("""{ "Mim": { } }""").Catalog.Trust);
        Assert.Throws<FormatException>(() => Read("""{ "Mim": { "Bundles": { "RequireSigned": true } } }"""));
    }
}
