using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Routing;

namespace MiM.Bundles.Host.Api;

/// <summary><c>/api/jobs</c> (newest first, each with its stages) and <c>/api/series/unrouted</c> (what no bundle took, and why).</summary>
internal static class JobEndpoints
{
    /// <summary>The most a list returns.</summary>
    public const int MaximumLimit = 1000;

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("jobs");
        jobs.MapGet("/", (IJobBoard board, int? limit) => board.Recent(Clamp(limit)))
            .WithSummary("The most recent jobs, newest first (limit: default 100, at most 1000)");
        jobs.MapGet("/{id}", (string id, IJobBoard board) => board.Find(id) is { } job
                ? Results.Ok(job)
                : Results.Problem(title: "no such job", detail: $"no job has the id {id}", statusCode: StatusCodes.Status404NotFound))
            .WithSummary("One job with each stage's start, end and error")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/series/unrouted", (IUnroutedSeriesLog log, int? limit) => log.Recent(Clamp(limit)))
            .WithTags("series")
            .WithSummary("Series that no bundle accepted, newest first, with each serving bundle's reason");
    }

    private static int Clamp(int? limit) => Math.Clamp(limit ?? 100, 1, MaximumLimit);
}
