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
        public static AccessTokenClaims? TryRead(string token)
        {
            var parts = token.Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
                if (payload.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                var root = payload.RootElement;
                return new AccessTokenClaims
                {
                    TenantId = ReadString(root, "tid"),
                    ClientId = ReadString(root, "appid") ?? ReadString(root, "azp"),
                    ExpiresOn = root.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds)
                        ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                        : (DateTimeOffset?)null,
                };
            }
            catch (Exception exception) when (exception is FormatException || exception is JsonException || exception is ArgumentException)
            {
                return null;
            }
        }

        private static string? ReadString(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static byte[] Base64UrlDecode(string text)
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            switch (base64.Length % 4)
            {
                case 2: base64 += "=="; break;
                case 3: base64 += "="; break;
            }

            return Convert.FromBase64String(base64);
        }
    }
}
