using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MiM.Bundles.Host.Api;

/// <summary><c>GET /health/live</c> (the process answers) and <c>GET /health/ready</c> (200 only when it can take a study, 503 with the failing checks otherwise).</summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("health");
        health.MapGet("/live", () => Results.Ok(new { status = "live" }))
            .WithSummary("The process runs and answers");
        health.MapGet("/ready", (ReadinessProbe probe) =>
            {
                var report = probe.Check();
                return report.Ready ? Results.Ok(report) : Results.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithSummary("200 when the SCP listens, the data disk has room and a bundle serves; 503 with the failing checks otherwise")
            .Produces<ReadinessReport>()
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable);
    }
}
