using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// What a bearer token grants, read from its JWT payload as Graph reads it: an app-only token's <c>roles</c> (array),
/// a delegated token's <c>scp</c> (space-separated). No signature check (the simulator issues no keys). A token that
/// is not a JWT (the simulator's plain <c>--token</c> values), or a JWT with neither claim (tests that only need a
/// <c>tid</c>), grants everything, as before; a JWT with either claim grants exactly what it lists (<c>"roles": []</c>
/// grants nothing).
/// </summary>
internal sealed class GrantedPermissions
{
    private readonly HashSet<string> permissions;

    private GrantedPermissions(bool delegated, IEnumerable<string> permissions)
    {
        Delegated = delegated;
        this.permissions = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
    }

    public bool Delegated { get; }

    public IReadOnlyCollection<string> Permissions => permissions;

    /// <summary>Null when the token is not a readable JWT or names no permissions (full rights).</summary>
    public static GrantedPermissions? FromToken(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("scp", out var scp) && scp.ValueKind == JsonValueKind.String)
            {
                return new GrantedPermissions(true, scp.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }

            if (!root.TryGetProperty("roles", out var roles))
            {
                return null;
            }

            return new GrantedPermissions(false, roles.ValueKind == JsonValueKind.Array
                ? roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
                : Enumerable.Empty<string>());
        }
        catch (Exception exception) when (exception is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether the token holds one of the permissions an endpoint accepts for its kind of token.</summary>
    public bool Allows(EndpointPermissions accepted) =>
        (Delegated ? accepted.Delegated : accepted.Application).Any(permissions.Contains);

    private static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        return Convert.FromBase64String(base64);
    }
}
