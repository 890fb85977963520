using System;
using System.Text.Json;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// The payload of a JWT access token (its second, base64url-encoded part) as JSON, for reading claims; no signature
    /// check: Graph does that. One decoder for <see cref="AccessTokenClaims"/> and <see cref="TokenPermissions"/>.
    /// </summary>
    internal static class JwtPayload
    {
        /// <summary>Reads the payload's object and hands it to <paramref name="read"/>; null when the token is not a readable JWT.</summary>
        public static T? TryRead<T>(string? token, Func<JsonElement, T?> read) where T : class
        {
            var parts = (token ?? "").Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
                return payload.RootElement.ValueKind == JsonValueKind.Object ? read(payload.RootElement) : null;
            }
            catch (Exception exception) when (exception is FormatException || exception is JsonException || exception is ArgumentException)
            {
                return null;
            }
        }

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
