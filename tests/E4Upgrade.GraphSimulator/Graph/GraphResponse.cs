using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>One Graph answer, either sent as an HTTP response or embedded in a $batch response.</summary>
internal sealed class GraphResponse
{
    public GraphResponse(int status, JsonNode? body = null)
    {
        Status = status;
        Body = body;
    }

    public int Status { get; }
    public JsonNode? Body { get; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set when the HTTP connection must be aborted instead of answered (a simulated network fault).</summary>
    public bool DropConnection { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static GraphResponse Ok(JsonNode body) => new(200, body);

    public static GraphResponse NoContent() => new(204);

    public GraphResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
