using System;
using System.Text.Json;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>The non-secret claims of a JWT access token that the session reports: tenant, app, expiry. No signature check: Graph does that.</summary>
    public sealed class AccessTokenClaims
    {
        public string? TenantId { get; private set; }
        public string? ClientId { get; private set; }
        public DateTimeOffset? ExpiresOn { get; private set; }

        /// <summary>Null when the token is not a readable JWT.</summary>
        public static AccessTokenClaims? TryRead(string token) =>
            JwtPayload.TryRead(token, root => new AccessTokenClaims
            {
                TenantId = ReadString(root, "tid"),
                ClientId = ReadString(root, "appid") ?? ReadString(root, "azp"),
                ExpiresOn = root.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : (DateTimeOffset?)null,
            });

        private static string? ReadString(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
