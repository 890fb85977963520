using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using E4Upgrade.GraphSimulator.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>
/// GET /msi/token: the token endpoint an Azure Automation job reaches through IDENTITY_ENDPOINT and IDENTITY_HEADER,
/// served when --identity-header is given. The protocol is App Service's (Automation's page points to the same
/// request: "Generate an access token without using Azure cmdlets",
/// https://learn.microsoft.com/azure/automation/enable-managed-identity-for-automation; the request and answer are the
/// "REST endpoint reference" of https://learn.microsoft.com/azure/app-service/overview-managed-identity):
/// api-version=2019-08-01, resource, optional client_id of a user-assigned identity, header X-IDENTITY-HEADER; the
/// answer has access_token, expires_on (seconds since 1970), resource, token_type and client_id. The status and body of
/// a refusal are not published: 400 for a bad request and 401 for a wrong header, with an error and its description,
/// are our choice. Tokens carry tid, oid, appid, roles and exp, and Graph refuses them once expired.
/// </summary>
internal static class ManagedIdentityEndpoint
{
    public const string Path = "/msi/token";
    private const string ApiVersion = "2019-08-01";

    /// <summary>The system-assigned identity's client id (our choice: fixed, so tests can name it).</summary>
    public const string SystemAssignedClientId = "5a5a0000-0000-4000-8000-00000000a5a5";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Graph application permissions that let a token write licenses (assignLicense's permission table).</summary>
    private static readonly string[] WriteRoles = { "LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All" };

    public static void Map(IEndpointRouteBuilder app, SimulatorServices services)
    {
        var options = services.Options;
        if (options.IdentityHeader is null)
        {
            return;
        }

        var issued = new Counters();
        app.MapGet(Path, (HttpContext context) => Issue(context, services, options, issued));
        app.MapGet("/_simulator/identity", () => Results.Json(
            new { issued = issued.Issued, refused = issued.Refused, lastClientId = issued.LastClientId, lifetimeSeconds = options.IdentityTokenLifetimeSeconds },
            Web));
    }

    private static IResult Issue(HttpContext context, SimulatorServices services, SimulatorOptions options, Counters counters)
    {
        var query = context.Request.Query;
        if (!string.Equals(context.Request.Headers["X-IDENTITY-HEADER"].ToString(), options.IdentityHeader, StringComparison.Ordinal))
        {
            return counters.Refuse(401, "invalid_request", "The X-IDENTITY-HEADER header is missing or does not match this sandbox's IDENTITY_HEADER.");
        }

        if (query["api-version"].ToString() != ApiVersion)
        {
            return counters.Refuse(400, "invalid_request", $"api-version must be {ApiVersion}; got '{query["api-version"]}'.");
        }

        var resource = query["resource"].ToString();
        if (resource.Length == 0)
        {
            return counters.Refuse(400, "invalid_request", "The resource parameter is required.");
        }

        if (query.ContainsKey("mi_res_id") || query.ContainsKey("principal_id") || query.ContainsKey("object_id"))
        {
            return counters.Refuse(400, "invalid_request", "This endpoint names a user-assigned identity by client_id only.");
        }

        var clientId = query["client_id"].ToString();
        if (clientId.Length > 0 && !options.IdentityClientIds.Contains(clientId, StringComparer.OrdinalIgnoreCase))
        {
            return counters.Refuse(400, "invalid_request", $"No user-assigned identity with client id {clientId} is assigned to this account.");
        }

        var appId = clientId.Length > 0 ? clientId : SystemAssignedClientId;
        var now = DateTimeOffset.UtcNow;
        var expiresAt = now.AddSeconds(options.IdentityTokenLifetimeSeconds);
        var tenantId = services.Tenant.Current.TenantId.ToString();
        var token = Jwt(new JsonObject
        {
            ["aud"] = resource.TrimEnd('/'),
            ["iss"] = $"https://sts.windows.net/{tenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["appid"] = appId,
            ["oid"] = StableGuid(appId).ToString(),
            ["idtyp"] = "app",
            ["roles"] = new JsonArray(options.IdentityRoles.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            ["tid"] = tenantId,
            ["uti"] = Guid.NewGuid().ToString("N"),
        });
        var readOnly = !options.IdentityRoles.Any(r => WriteRoles.Contains(r, StringComparer.OrdinalIgnoreCase));
        services.Tokens.Add(token, readOnly, expiresAt);
        counters.Issue(appId);
        return Results.Json(
            new JsonObject
            {
                ["access_token"] = token,
                ["expires_on"] = expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = appId,
            });
    }

    /// <summary>An unsigned JWT (the simulator checks tokens by value, not by signature).</summary>
    private static string Jwt(JsonObject claims) =>
        Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url(claims.ToJsonString()) + "." + Base64Url(Guid.NewGuid().ToString("N"));

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Guid StableGuid(string text) => new(MD5.HashData(Encoding.UTF8.GetBytes("identity:" + text)));

    private sealed class Counters
    {
        private long issued;
        private long refused;

        public long Issued => Interlocked.Read(ref issued);
        public long Refused => Interlocked.Read(ref refused);
        public string? LastClientId { get; private set; }

        public void Issue(string clientId)
        {
            LastClientId = clientId;
            Interlocked.Increment(ref issued);
        }

        public IResult Refuse(int status, string error, string description)
        {
            Interlocked.Increment(ref refused);
            return Results.Json(new { error, error_description = description }, Web, statusCode: status);
        }
    }
}
