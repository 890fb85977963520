using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>How a token was issued, which decides where Graph looks for its permissions.</summary>
    public enum TokenKind
    {
        /// <summary>App-only (client secret, certificate, managed identity): permissions in the <c>roles</c> claim.</summary>
        Application,

        /// <summary>On behalf of a signed-in user: permissions in the <c>scp</c> claim, further limited by the user's directory roles.</summary>
        Delegated,
    }

    /// <summary>
    /// The Graph permissions an access token carries: an app token's <c>roles</c>, a delegated token's <c>scp</c>
    /// (Microsoft identity platform access token claims reference). No signature check: Graph does that.
    /// </summary>
    public sealed class TokenPermissions
    {
        private readonly HashSet<string> _granted;

        public TokenPermissions(TokenKind kind, IEnumerable<string> granted)
        {
            Kind = kind;
            _granted = new HashSet<string>(granted ?? throw new ArgumentNullException(nameof(granted)), StringComparer.OrdinalIgnoreCase);
        }

        public TokenKind Kind { get; }

        public IReadOnlyCollection<string> Granted => _granted;

        public bool HoldsAny(IEnumerable<string> permissions) => permissions.Any(_granted.Contains);

        /// <summary>
        /// Null when the token is not a readable JWT (an opaque token says nothing about its permissions) or has neither
        /// claim: Entra leaves <c>roles</c> out of an app token when the app was granted none, and then the first call
        /// (the SKU read at sign-in) fails with PermissionMissing, naming what to grant.
        /// </summary>
        public static TokenPermissions? TryRead(string token) =>
            JwtPayload.TryRead(token, root =>
            {
                if (root.TryGetProperty("scp", out var scp) && scp.ValueKind == JsonValueKind.String)
                {
                    return new TokenPermissions(TokenKind.Delegated, (scp.GetString() ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
                }

                if (!root.TryGetProperty("roles", out var array))
                {
                    return null;
                }

                var roles = array.ValueKind == JsonValueKind.Array
                    ? array.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString() ?? "")
                    : Enumerable.Empty<string>();
                return new TokenPermissions(TokenKind.Application, roles);
            });
    }
}
