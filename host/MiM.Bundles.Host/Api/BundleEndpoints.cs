using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Api;

/// <summary><c>/api/bundles</c>: the list with states and pins, and pin, unload, load, rollback, shadow, promote (each audited).</summary>
internal static class BundleEndpoints
{
    public static void MapBundleEndpoints(this IEndpointRouteBuilder app)
    {
        var bundles = app.MapGroup("/api/bundles").WithTags("bundles");
        bundles.MapGet("/", (IBundleListing listing) => listing.List())
            .WithSummary("Every bundle version with its state, failure reason and pin");
        bundles.MapPost("/{id}/pin", (string id, PinRequest body, HttpContext context, BundleOperations operations) => operations.PinAsync(id, body.Version, context))
            .WithSummary("Pins a bundle to a version or range (version null removes the pin)")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        bundles.MapPost("/{id}/rollback", (string id, [FromBody] RollbackRequest? body, HttpContext context, BundleOperations operations) => operations.RollbackAsync(id, body?.ToVersion, context))
            .WithSummary("Goes back to the given or the previous installed version and pins it there")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        bundles.MapPost("/{id}/shadow", (string id, ShadowRequest body, HttpContext context, BundleOperations operations) => operations.ShadowAsync(id, body.Version, context))
            .WithSummary("Runs an installed candidate version in shadow beside the serving one (version null clears it): same series, results kept on the host, agreement per job")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        bundles.MapPost("/{id}/promote", (string id, PromoteRequest body, HttpContext context, BundleOperations operations) => operations.PromoteAsync(id, body.Version, context))
            .WithSummary("Makes a version (usually the shadow candidate) the serving one: pins it and clears its shadow; running jobs finish on the old version")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        bundles.MapPost("/{id}/unload", (string id, HttpContext context, BundleOperations operations) => operations.UnloadAsync(id, context))
            .WithSummary("Drains and unloads the serving version; the bundle stays unloaded until loaded again")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status404NotFound);
        bundles.MapPost("/{id}/load", (string id, HttpContext context, BundleOperations operations) => operations.LoadAsync(id, context))
            .WithSummary("Lets an unloaded bundle serve again and rescans the bundle directory")
            .Produces<BundleActionResult>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
