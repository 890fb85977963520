using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Runs one Graph call, alone or as a $batch item: permission check, write quota, fault draw, latency, then the endpoint.
/// </summary>
internal sealed class OperationPipeline
{
    private readonly GraphRouter router;
    private readonly WriteThrottle throttle;
    private readonly FaultInjector faults;
    private readonly SimulatedTime time;
    private readonly SimulatorCounters counters;
    private readonly string throttleScopeSuffix;

    public OperationPipeline(GraphRouter router, WriteThrottle throttle, FaultInjector faults, SimulatedTime time, SimulatorCounters counters, string appId, string tenantId)
    {
        this.router = router;
        this.throttle = throttle;
        this.faults = faults;
        this.time = time;
        this.counters = counters;
        throttleScopeSuffix = $"{appId}/{tenantId}";
    }

    public async Task<GraphResponse> ExecuteAsync(GraphRequest request, bool readOnlyCaller, bool allowDrop, CancellationToken cancellationToken)
    {
        var route = router.Match(request);
        if (route.IsWrite && readOnlyCaller)
        {
            return GraphErrors.AuthorizationDenied();
        }

        ThrottleDecision? decision = null;
        if (route.IsWrite)
        {
            decision = throttle.TryAcquire();
            if (!decision.Allowed)
            {
                counters.CountThrottled();
                return TooManyRequests(decision);
            }

            counters.CountWrite();
        }

        var fault = faults.Draw(allowDrop);
        var latency = time.Latency(route.IsWrite);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        if (fault != FaultKind.None)
        {
            counters.CountFault();
            if (fault is FaultKind.GatewayTimeout or FaultKind.DroppedConnection && route.IsWrite && faults.ApplyBeforeFailing())
            {
                route.Execute();
            }

            return FaultResponse(fault);
        }

        var response = route.Execute();
        if (decision is { UsedFraction: > 0.8 })
        {
            response.Headers["x-ms-throttle-limit-percentage"] = decision.UsedFraction.ToString("0.0##", CultureInfo.InvariantCulture);
        }

        return response;
    }

    public GraphResponse FaultResponse(FaultKind fault) => fault switch
    {
        FaultKind.InternalServerError => GraphErrors.Create(500, "UnknownError", "An unexpected error occurred while processing the request."),
        FaultKind.ServiceUnavailable => GraphErrors.Create(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
            .WithHeader("Retry-After", time.RetryAfterHeader(0)),
        FaultKind.GatewayTimeout => GraphErrors.Create(504, "GatewayTimeout", "The request timed out while waiting for the backend."),
        FaultKind.DroppedConnection => new GraphResponse(0) { DropConnection = true },
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    private GraphResponse TooManyRequests(ThrottleDecision decision)
    {
        var inner = new JsonObject { ["code"] = "429", ["message"] = "Please retry after", ["status"] = "429" };
        var scope = decision.Scope == ThrottleScope.Tenant ? "Tenant" : "Tenant_Application";
        return GraphErrors.Create(429, "TooManyRequests", "Please retry again later.", inner)
            .WithHeader("Retry-After", time.RetryAfterHeader(decision.SecondsToWait))
            .WithHeader("x-ms-throttle-limit-percentage", decision.UsedFraction.ToString("0.0##", CultureInfo.InvariantCulture))
            .WithHeader("x-ms-throttle-scope", $"{scope}/ReadWrite/{throttleScopeSuffix}")
            .WithHeader("x-ms-throttle-information", "WriteLimitExceeded");
    }
}
