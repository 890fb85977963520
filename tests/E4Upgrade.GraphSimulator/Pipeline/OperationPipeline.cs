using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Runs one Graph call, alone or as a $batch item: permission check, identity quotas, spurious 429 draw, fault draw,
/// latency, then the endpoint. Every answer carries x-ms-resource-unit (the call's cost).
/// </summary>
internal sealed class OperationPipeline
{
    private readonly GraphRouter router;
    private readonly IdentityThrottle throttle;
    private readonly Spurious429Injector spurious;
    private readonly EarlyRetryTracker earlyRetries;
    private readonly FaultInjector faults;
    private readonly ServerErrorInjector serverErrors;
    private readonly SimulatedTime time;
    private readonly SimulatorCounters counters;
    private readonly string throttleScopeSuffix;

    public OperationPipeline(
        GraphRouter router,
        IdentityThrottle throttle,
        Spurious429Injector spurious,
        EarlyRetryTracker earlyRetries,
        FaultInjector faults,
        ServerErrorInjector serverErrors,
        SimulatedTime time,
        SimulatorCounters counters,
        string appId,
        string tenantId)
    {
        this.router = router;
        this.throttle = throttle;
        this.spurious = spurious;
        this.earlyRetries = earlyRetries;
        this.faults = faults;
        this.serverErrors = serverErrors;
        this.time = time;
        this.counters = counters;
        throttleScopeSuffix = $"{appId}/{tenantId}";
    }

    public async Task<GraphResponse> ExecuteAsync(GraphRequest request, Caller caller, bool allowDrop, CancellationToken cancellationToken)
    {
        var route = router.Match(request);
        var resourceUnits = ResourceUnitCost.Of(request, route);
        earlyRetries.Observe(caller, request);
        var response = await RunAsync(request, route, resourceUnits, caller, allowDrop, cancellationToken).ConfigureAwait(false);
        if (!response.DropConnection)
        {
            response.Headers["x-ms-resource-unit"] = resourceUnits.ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    private async Task<GraphResponse> RunAsync(GraphRequest request, RouteMatch route, int resourceUnits, Caller caller, bool allowDrop, CancellationToken cancellationToken)
    {
        if ((route.IsWrite && caller.ReadOnly) || (route.Permissions is not null && caller.Granted is not null && !caller.Granted.Allows(route.Permissions)))
        {
            return GraphErrors.AuthorizationDenied();
        }

        var decision = throttle.TryAcquire(route.IsWrite, resourceUnits);
        if (!decision.Allowed)
        {
            counters.CountThrottled(route.IsWrite, decision.Limit == ThrottleLimit.ResourceUnits, decision.Charged);
            return TooManyRequests(request, caller, decision);
        }

        if (spurious.Draw())
        {
            throttle.Refund(route.IsWrite, resourceUnits);
            counters.CountSpuriousThrottle(route.IsWrite);
            return SpuriousTooManyRequests(request, caller);
        }

        if (route.IsWrite)
        {
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

        var serverError = serverErrors.DrawServerError();
        if (serverError != FaultKind.None)
        {
            counters.CountFault();
            if (route.IsWrite && serverErrors.AppliedBeforeFailing(serverError))
            {
                route.Execute();
            }

            return FaultResponse(serverError);
        }

        if (IsUserWrite(route) && serverErrors.DrawLanded429())
        {
            var applied = route.Execute();
            if (applied.Status is >= 200 and < 300)
            {
                counters.CountLandedThrottle();
                return SpuriousTooManyRequests(request, caller);
            }

            return applied;
        }

        var response = route.Execute();
        var percentage = LimitPercentage(decision.UsedFraction);
        if (percentage >= 0.8)
        {
            response.Headers["x-ms-throttle-limit-percentage"] = percentage.ToString("0.0##", CultureInfo.InvariantCulture);
        }

        return response;
    }

    public GraphResponse FaultResponse(FaultKind fault) => fault switch
    {
        FaultKind.InternalServerError => GraphErrors.Create(500, "UnknownError", "An unexpected error occurred while processing the request."),
        FaultKind.ServiceUnavailable => GraphErrors.Create(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
            .WithHeader("Retry-After", time.RetryAfterHeader(0)),
        FaultKind.GatewayTimeout => GraphErrors.Create(504, "GatewayTimeout", "The request timed out while waiting for the backend."),
        FaultKind.BadGateway => GraphErrors.Create(502, "BadGateway", "The gateway received an invalid response from the backend."), // wording ours
        FaultKind.DroppedConnection => new GraphResponse(0) { DropConnection = true },
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>A user's assignLicense or PATCH (--landed-429-rate hits these; group writes are left to the group phase's own faults).</summary>
    private static bool IsUserWrite(RouteMatch route) =>
        route.IsWrite && (route.Permissions == EndpointPermissions.AssignUserLicense || route.Permissions == EndpointPermissions.UpdateUser);

    /// <summary>The used fraction as sent (three decimals): the header appears from 0.8 on.</summary>
    private static double LimitPercentage(double usedFraction) => Math.Round(usedFraction, 3, MidpointRounding.AwayFromZero);

    private GraphResponse TooManyRequests(GraphRequest request, Caller caller, ThrottleDecision decision)
    {
        var scope = decision.Limit == ThrottleLimit.TenantWrites ? "Tenant" : "Tenant_Application";
        // <Limit> as Graph's throttling-limits page defines it: Read (GET), Write (POST, PATCH, ...), ReadWrite (any). The
        // write quotas count writes only; the resource-unit quota counts every request, so a GET it refuses is Read-limited
        // and a write ReadWrite (our reading: the page gives only the ReadWrite example).
        var limit = decision.Limit != ThrottleLimit.ResourceUnits ? "Write"
            : string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase) ? "Read" : "ReadWrite";
        var information = decision.Limit == ThrottleLimit.ResourceUnits ? "ResourceUnitLimitExceeded" : "WriteLimitExceeded";
        return Throttled(request, caller, decision.SecondsToWait)
            .WithHeader("x-ms-throttle-limit-percentage", LimitPercentage(decision.UsedFraction).ToString("0.0##", CultureInfo.InvariantCulture))
            .WithHeader("x-ms-throttle-scope", $"{scope}/{limit}/{throttleScopeSuffix}")
            .WithHeader("x-ms-throttle-information", information);
    }

    /// <summary>
    /// A 429 under every limit: Retry-After 1 Graph second (no source gives a figure) and no throttle-scope or
    /// -information headers (no public sample of such a 429 shows them).
    /// </summary>
    private GraphResponse SpuriousTooManyRequests(GraphRequest request, Caller caller) => Throttled(request, caller, 0);

    private GraphResponse Throttled(GraphRequest request, Caller caller, double secondsToWait)
    {
        var retryAfter = time.RetryAfterHeader(secondsToWait);
        earlyRetries.Remember(caller, request, double.Parse(retryAfter, CultureInfo.InvariantCulture));
        var inner = new JsonObject { ["code"] = "429", ["message"] = "Please retry after", ["status"] = "429" };
        return GraphErrors.Create(429, "TooManyRequests", "Please retry again later.", inner).WithHeader("Retry-After", retryAfter);
    }
}
