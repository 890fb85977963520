using System.Text;
using System.Text.Json;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>Unsigned JWT-shaped access tokens with the claims Graph reads: an app token's roles, a delegated token's scp.</summary>
internal static class JwtTokens
{
    /// <summary>The README's least-privileged application permissions, all of them.</summary>
    public static readonly string[] ReadmePermissions =
    {
        "LicenseAssignment.ReadWrite.All", "User.Read.All", "Organization.Read.All", "Group.Read.All",
    };

    public static string App(params string[] roles) => Jwt(new Dictionary<string, object> { ["roles"] = roles, ["tid"] = "contoso", ["appid"] = "e4upgrade-tests" });

    public static string Delegated(params string[] scopes) => Jwt(new Dictionary<string, object> { ["scp"] = string.Join(' ', scopes), ["tid"] = "contoso" });

    private static string Jwt(Dictionary<string, object> claims) =>
        Encode(new { alg = "none", typ = "JWT" }) + "." + Encode(claims) + ".c2ln";

    private static string Encode(object value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
