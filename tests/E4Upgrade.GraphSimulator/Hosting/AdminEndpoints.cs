using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Options;
using E4Upgrade.GraphSimulator.Tenant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>/_simulator/*: inspection and control for tests. No token, never throttled or faulted.</summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app, SimulatorServices services)
    {
        var admin = app.MapGroup("/_simulator");
        admin.MapGet("/tenant", () => Json(TenantWriter.Write(services.Tenant.Current)));
        admin.MapGet("/stats", () => Results.Json(Stats(services), Web));
        admin.MapGet("/certificate", () => services.Certificate is { } certificate
            ? Results.Json(
                new
                {
                    thumbprint = certificate.Thumbprint,
                    thumbprintSha256 = SimulatorCertificate.Sha256Thumbprint(certificate),
                    subject = certificate.Subject,
                    notBefore = certificate.NotBefore.ToUniversalTime(),
                    notAfter = certificate.NotAfter.ToUniversalTime(),
                    pem = certificate.ExportCertificatePem(),
                },
                Web)
            : Results.NotFound(new { error = "The simulator serves plain http; start it with --https for a certificate." }));
        admin.MapPost("/reset", () =>
        {
            services.Reset();
            return Results.Json(new { reset = true }, Web);
        });
        admin.MapGet("/users/{key}/license-writes", (string key) =>
        {
            var tenant = services.Tenant.Current;
            lock (tenant.Gate)
            {
                var user = tenant.FindUser(Uri.UnescapeDataString(key));
                return user is null
                    ? Results.NotFound(new { error = $"No user '{key}'." })
                    : Results.Json(new { id = user.Id, userPrincipalName = user.UserPrincipalName, licenseWrites = tenant.LicenseWritesOf(user) }, Web);
            }
        });
        admin.MapGet("/license-writes", () =>
        {
            var tenant = services.Tenant.Current;
            lock (tenant.Gate)
            {
                var counts = new JsonObject();
                foreach (var (user, count) in tenant.UsersWithLicenseWrites())
                {
                    counts[user.Id.ToString()] = count;
                }

                return Json(new JsonObject { ["licenseWrites"] = counts });
            }
        });
        admin.MapPost("/tenant", async (HttpContext context) =>
        {
            var body = await ReadAsync(context).ConfigureAwait(false);
            if (body is not JsonObject tenant)
            {
                return Results.BadRequest(new { error = "Body must be a tenant in the --tenant file's shape." });
            }

            try
            {
                services.StartWith(tenant);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
            {
                return Results.BadRequest(new { error = ex.Message });
            }

            return Results.Json(new { users = services.Tenant.Current.Users.Count }, Web);
        });
        admin.MapPost("/clock/advance", async (HttpContext context) =>
        {
            var body = await ReadAsync(context).ConfigureAwait(false);
            var seconds = body?["seconds"] is JsonValue value && value.TryGetValue<double>(out var s) ? s : double.NaN;
            if (!(seconds >= 0) || double.IsInfinity(seconds))
            {
                return Results.BadRequest(new { error = "Body must be {\"seconds\": N} with N >= 0 (real seconds, as --time-scale has made them)." });
            }

            services.Clock.Advance(TimeSpan.FromSeconds(seconds));
            return Results.Json(new { advancedSeconds = services.Clock.Advanced.TotalSeconds, held = services.Clock.Held }, Web);
        });
        admin.MapPost("/tokens", async (HttpContext context) =>
        {
            var body = await ReadAsync(context).ConfigureAwait(false);
            var token = body?["token"]?.ToString();
            if (string.IsNullOrWhiteSpace(token))
            {
                return Results.BadRequest(new { error = "Body must be {\"token\":\"...\",\"readOnly\":false}." });
            }

            var readOnly = body!["readOnly"] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
            services.Tokens.Add(token, readOnly);
            return Results.Json(new { token, readOnly }, Web);
        });
        admin.MapPost("/tokens/revoke", async (HttpContext context) =>
        {
            var token = (await ReadAsync(context).ConfigureAwait(false))?["token"]?.ToString();
            return token is not null && services.Tokens.Revoke(token)
                ? Results.Json(new { revoked = token }, Web)
                : Results.NotFound(new { error = "Unknown token." });
        });
        admin.MapPost("/faults", async (HttpContext context) =>
        {
            var rate = (await ReadAsync(context).ConfigureAwait(false))?["faultRate"];
            try
            {
                services.Faults.Rate = CommandLineParser.Fraction("faultRate", rate?.ToJsonString() ?? string.Empty);
            }
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }

            return Results.Json(new { faultRate = services.Faults.Rate }, Web);
        });
    }

    public static SimulatorStats Stats(SimulatorServices services)
    {
        var counters = services.Counters;
        var tenant = services.Tenant.Current;
        lock (tenant.Gate)
        {
            return new SimulatorStats
            {
                Requests = counters.Requests,
                BatchItems = counters.BatchItems,
                Writes = counters.Writes,
                Throttled = counters.Throttled,
                WritesThrottled = counters.WritesThrottled,
                Faults = counters.Faults,
                InjectedFaults = services.Injected.Injected,
                DroppedConnections = counters.DroppedConnections,
                Unauthorized = counters.Unauthorized,
                ResourceUnitThrottled = counters.ResourceUnitThrottled,
                RefusedWritesCharged = counters.RefusedWritesCharged,
                SpuriousThrottled = counters.SpuriousThrottled,
                LandedThrottled = counters.LandedThrottled,
                EarlyRetries = services.EarlyRetries.EarlyRetries,
                LicenseWrites = tenant.LicenseWrites,
                UsersWithMultipleLicenseWrites = tenant.UsersWithMultipleLicenseWrites,
                UsersEverUnlicensed = tenant.UsersEverUnlicensed,
                UsersEverUnlicensedIds = tenant.EverUnlicensedUserIds().Select(id => id.ToString()).ToList(),
                ReadsStale = tenant.Counters.ReadsStale,
                DependencyViolations = tenant.Counters.DependencyViolations,
                GroupMembersProcessed = tenant.Counters.GroupMembersProcessed,
                Profile = services.Options.Profile,
                FaultRate = services.Faults.Rate,
                Users = tenant.Users.Count,
                RequestsInFlight = services.Traffic.InFlight,
                IdleMilliseconds = services.Traffic.IdleMilliseconds,
            };
        }
    }

    private static IResult Json(JsonNode node) =>
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(node, GraphHttpHandler.Output), "application/json");

    private static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
