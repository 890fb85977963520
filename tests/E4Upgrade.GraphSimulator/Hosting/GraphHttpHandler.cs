using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Graph;
using E4Upgrade.GraphSimulator.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>Everything under /v1.0: authentication, body parsing, then one call or a $batch.</summary>
internal sealed class GraphHttpHandler
{
    private const string EntityContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    private readonly SimulatorServices services;

    /// <summary>Graph writes apostrophes and non-ASCII characters as they are, not as \u escapes.</summary>
    internal static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public GraphHttpHandler(SimulatorServices services)
    {
        this.services = services;
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var inFlight = services.Traffic.Begin();
        services.Counters.CountRequest();
        var aborted = context.RequestAborted;
        var authorization = context.Request.Headers.Authorization.ToString();
        var check = services.Tokens.Check(authorization);
        var response = check switch
        {
            TokenCheck.Missing => GraphErrors.InvalidToken("Access token is empty."),
            TokenCheck.Unknown => GraphErrors.InvalidToken("Access token validation failure. Invalid audience."),
            TokenCheck.Expired => GraphErrors.InvalidToken("Lifetime validation failed, the token is expired."),
            _ => null,
        };
        if (response is not null)
        {
            services.Counters.CountUnauthorized();
            await WriteAsync(context, response).ConfigureAwait(false);
            return;
        }

        var caller = new Caller(TokenStore.TokenOf(authorization), check == TokenCheck.ReadOnly);
        JsonNode? body;
        try
        {
            body = await ReadBodyAsync(context).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await WriteAsync(context, GraphErrors.InvalidJson()).ConfigureAwait(false);
            return;
        }

        var graphBaseUrl = $"{context.Request.Scheme}://{context.Request.Host}/v1.0";
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest(context.Request.Method, RelativeTarget(context), body, graphBaseUrl, headers);
        if (request.Segments is [var only] && only.Equals("$batch", StringComparison.OrdinalIgnoreCase))
        {
            response = request.Method == "POST"
                ? await ExecuteBatchAsync(request, caller, context).ConfigureAwait(false)
                : GraphErrors.MethodNotAllowed();
        }
        else
        {
            response = await services.Pipeline.ExecuteAsync(request, caller, allowDrop: true, aborted).ConfigureAwait(false);
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>The whole $batch HTTP request can fault too; for 504 and dropped connections its items run half of the time.</summary>
    private async Task<GraphResponse> ExecuteBatchAsync(GraphRequest request, Caller caller, HttpContext context)
    {
        var fault = services.Faults.Draw(allowDrop: true);
        if (fault == FaultKind.None)
        {
            return await services.Batch.ExecuteAsync(request.Body, request.GraphBaseUrl, caller, context.RequestAborted).ConfigureAwait(false);
        }

        services.Counters.CountFault();
        if (fault is FaultKind.GatewayTimeout or FaultKind.DroppedConnection && services.Faults.ApplyBeforeFailing())
        {
            await services.Batch.ExecuteAsync(request.Body, request.GraphBaseUrl, caller, context.RequestAborted).ConfigureAwait(false);
        }

        return services.Pipeline.FaultResponse(fault);
    }

    private async Task WriteAsync(HttpContext context, GraphResponse response)
    {
        if (response.DropConnection)
        {
            services.Counters.CountDroppedConnection();
            context.Abort();
            return;
        }

        var requestId = Guid.NewGuid().ToString();
        context.Response.StatusCode = response.Status;
        context.Response.Headers["request-id"] = requestId;
        var clientRequestId = context.Request.Headers.TryGetValue("client-request-id", out var given) ? given.ToString() : null;
        if (clientRequestId is not null)
        {
            context.Response.Headers["client-request-id"] = clientRequestId;
        }

        // Graph's error body names the same request as the headers: innerError's request-id (docs-contrib concepts/errors.md
        // shows it there) is the request-id header, and the caller's client-request-id is echoed beside it.
        if (response.Body?["error"]?["innerError"] is JsonObject inner)
        {
            inner["request-id"] = requestId;
            if (clientRequestId is not null)
            {
                inner["client-request-id"] = clientRequestId;
            }
        }

        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is null)
        {
            return;
        }

        context.Response.ContentType = response.IsSuccess ? EntityContentType : "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response.Body, Output);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.Length == 0 ? null : JsonNode.Parse(buffer.ToArray());
    }

    /// <summary>The request target exactly as sent (still percent-encoded) after /v1.0, so UPNs decode once.</summary>
    private static string RelativeTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith("/", StringComparison.Ordinal))
        {
            return context.Request.Path + context.Request.QueryString;
        }

        var start = raw.IndexOf("/v1.0", StringComparison.OrdinalIgnoreCase);
        return start >= 0 ? raw[(start + 5)..] : raw;
    }
}
