using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Api;

/// <summary>
/// Carries out an operator's bundle call through <see cref="IBundleControl"/> and writes it to the audit log with who
/// asked and what came of it, refusals included, before answering.
/// </summary>
/// <param name="control">The catalog's control side.</param>
/// <param name="listing">The catalog, to tell what serves afterwards.</param>
/// <param name="audit">The audit log.</param>
/// <param name="keys">Whether callers presented a key (for the audit line).</param>
/// <param name="time">The clock of audit lines.</param>
/// <param name="logger">Logs refusals.</param>
public sealed partial class BundleOperations(IBundleControl control, IBundleListing listing, IAuditLog audit, ApiKeyCheck keys, TimeProvider time, ILogger<BundleOperations> logger)
{
    /// <summary>Pins (or unpins) <paramref name="id"/>.</summary>
    public Task<IResult> PinAsync(string id, string? version, HttpContext context) =>
        RunAsync("pin", id, version is null ? "unpin" : $"pin {version}", context, async (by, ct) => await control.PinAsync(id, version, by, ct).ConfigureAwait(false));

    /// <summary>Rolls <paramref name="id"/> back.</summary>
    public Task<IResult> RollbackAsync(string id, string? toVersion, HttpContext context) =>
        RunAsync("rollback", id, toVersion is null ? "rollback" : $"rollback to {toVersion}", context, async (by, ct) => await control.RollbackAsync(id, toVersion, by, ct).ConfigureAwait(false));

    /// <summary>Puts <paramref name="version"/> of <paramref name="id"/> in shadow (null clears it).</summary>
    public async Task<IResult> ShadowAsync(string id, string? version, HttpContext context)
    {
        string? shadow = null;
        var result = await RunAsync("shadow", id, version is null ? "clear shadow" : $"shadow {version}", context, async (by, ct) =>
        {
            shadow = await control.ShadowAsync(id, version, by, ct).ConfigureAwait(false);
            return ServingVersion(id);
        }).ConfigureAwait(false);
        return result is Microsoft.AspNetCore.Http.HttpResults.Ok<BundleActionResult> ok ? Results.Ok(ok.Value! with { Shadow = shadow }) : result;
    }

    /// <summary>Promotes <paramref name="version"/> of <paramref name="id"/> to serve.</summary>
    public Task<IResult> PromoteAsync(string id, string version, HttpContext context) =>
        RunAsync("promote", id, $"promote {version}", context, async (by, ct) => await control.PromoteAsync(id, version, by, ct).ConfigureAwait(false));

    /// <summary>Unloads <paramref name="id"/>.</summary>
    public Task<IResult> UnloadAsync(string id, HttpContext context) =>
        RunAsync("unload", id, "unload", context, async (by, ct) =>
        {
            await control.UnloadAsync(id, by, ct).ConfigureAwait(false);
            return ServingVersion(id);
        });

    /// <summary>Loads <paramref name="id"/> again.</summary>
    public Task<IResult> LoadAsync(string id, HttpContext context) =>
        RunAsync("load", id, "load", context, async (by, ct) =>
        {
            await control.LoadAsync(id, by, ct).ConfigureAwait(false);
            return ServingVersion(id);
        });

    private async Task<IResult> RunAsync(string action, string id, string asked, HttpContext context, Func<string, CancellationToken, Task<string?>> call)
    {
        var by = ApiCaller.Describe(context, keys.Enabled);
        string? serving;
        try
        {
            serving = await call(by, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            var status = e switch
            {
                KeyNotFoundException => StatusCodes.Status404NotFound,
                InvalidOperationException => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            Audit(action, id, null, $"{by}: {asked}: refused: {e.Message}");
            LogRefused(logger, action, id, e.Message);
            return Results.Problem(title: $"{action} of {id} refused", detail: e.Message, statusCode: status);
        }

        Audit(action, id, serving, $"{by}: {asked}: done, serving {serving ?? "nothing"}");
        return Results.Ok(new BundleActionResult(id, action, serving));
    }

    private void Audit(string action, string id, string? serving, string detail) =>
        audit.Append(new AuditEvent(time.GetUtcNow(), $"api-bundle-{action}", BundleId: id, BundleVersion: serving, Detail: detail));

    private string? ServingVersion(string id) => listing.List().FirstOrDefault(b => b.Id == id && b.State == BundleState.Serving)?.Version;

    [LoggerMessage(Level = LogLevel.Warning, Message = "API {Action} of bundle {BundleId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string action, string bundleId, string reason);
}
