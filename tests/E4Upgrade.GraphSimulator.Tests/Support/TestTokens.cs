using System.Text;
using System.Text.Json;

namespace E4Upgrade.GraphSimulator.Tests.Support;

/// <summary>Unsigned JWT-shaped tokens with the claims Graph reads: an app token's roles, a delegated token's scp.</summary>
internal static class TestTokens
{
    public static string App(params string[] roles) => Jwt(new Dictionary<string, object> { ["roles"] = roles, ["tid"] = "contoso" });

    public static string Delegated(params string[] scopes) => Jwt(new Dictionary<string, object> { ["scp"] = string.Join(' ', scopes), ["tid"] = "contoso" });

    public static string TenantOnly() => Jwt(new Dictionary<string, object> { ["tid"] = "contoso" });

    private static string Jwt(Dictionary<string, object> claims) =>
        Encode(new { alg = "none", typ = "JWT" }) + "." + Encode(claims) + ".c2ln";

    private static string Encode(object value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
