using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using MiM.Bundles.Host.Serving;

namespace MiM.Bundles.Host.Tests.Serving;

public sealed class SystemdIntegrationTests
{
    [Fact]
    public void Grace_period_becomes_the_hosts_shutdown_timeout()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMimSystemd(TimeSpan.FromSeconds(42));
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(42), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void Outside_systemd_the_host_keeps_its_ordinary_lifetime()
    {
        // The test runner is not a systemd service; a host started by hand must not wait for or talk to systemd.
        Assert.False(SystemdIntegration.IsSystemdService);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMimSystemd(TimeSpan.FromSeconds(5));
        using var host = builder.Build();

        Assert.IsNotType<SystemdLifetime>(host.Services.GetService<IHostLifetime>());
    }

    [Fact]
    public void Zero_grace_period_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddMimSystemd(TimeSpan.Zero));
    }
}
