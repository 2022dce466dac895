using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Outbox;

namespace MiM.Bundles.Host.Api;

/// <summary>One configured destination as the API lists it.</summary>
/// <param name="Name">The destination's name.</param>
/// <param name="AeTitle">Its (called) AE title.</param>
/// <param name="Host">Its host.</param>
/// <param name="Port">Its port.</param>
/// <param name="CallingAeTitle">Our AE title towards it.</param>
public sealed record DestinationView(string Name, string AeTitle, string Host, int Port, string CallingAeTitle);

/// <summary><c>/api/destinations</c> and the C-ECHO test of one.</summary>
internal static class DestinationEndpoints
{
    public static void MapDestinationEndpoints(this IEndpointRouteBuilder app)
    {
        var destinations = app.MapGroup("/api/destinations").WithTags("destinations");
        destinations.MapGet("/", (IOptions<DestinationsOptions> options) => options.Value.Destinations.Select(d => new DestinationView(d.Name, d.AeTitle, d.Host, d.Port, d.CallingAeTitle)).ToList())
            .WithSummary("The configured destinations");
        destinations.MapPost("/{name}/echo", async (string name, IOptions<DestinationsOptions> options, DestinationEcho echo, CancellationToken cancellationToken) =>
            {
                var destination = options.Value.Destinations.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
                if (destination is null)
                {
                    return Results.Problem(title: "no such destination", detail: $"no destination is named {name}", statusCode: StatusCodes.Status404NotFound);
                }

                var outcome = await echo.EchoAsync(destination.ToDestination(), cancellationToken).ConfigureAwait(false);

                // 502: the API worked, the peer behind it did not.
                return outcome.Success ? Results.Ok(outcome) : Results.Json(outcome, statusCode: StatusCodes.Status502BadGateway);
            })
            .WithSummary("Associates with the destination and sends C-ECHO, as the outbox would (200 answered, 502 not)")
            .Produces<EchoOutcome>().Produces<EchoOutcome>(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
