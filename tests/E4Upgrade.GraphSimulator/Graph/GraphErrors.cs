using System;
using System.Globalization;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>Graph's OData error bodies: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
internal static class GraphErrors
{
    public static GraphResponse Create(int status, string code, string message, JsonObject? extraInnerError = null)
    {
        var inner = new JsonObject();
        if (extraInnerError is not null)
        {
            foreach (var (key, value) in extraInnerError)
            {
                inner[key] = value?.DeepClone();
            }
        }

        inner["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        inner["request-id"] = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = inner },
        };
        return new GraphResponse(status, body);
    }

    public static GraphResponse BadRequest(string message) => Create(400, "Request_BadRequest", message);

    public static GraphResponse UserNotFound(string key) =>
        Create(404, "Request_ResourceNotFound", $"Resource '{key}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphResponse SegmentNotFound(string segment) =>
        Create(400, "BadRequest", $"Resource not found for the segment '{segment}'.");

    public static GraphResponse MethodNotAllowed() =>
        Create(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

    public static GraphResponse UnsupportedQuery(string message) => Create(400, "Request_UnsupportedQuery", message);

    public static GraphResponse InvalidJson() =>
        Create(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

    public static GraphResponse AuthorizationDenied() =>
        Create(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    public static GraphResponse InvalidToken(string message) => Create(401, "InvalidAuthenticationToken", message);
}
