using System.Collections.Generic;

namespace E4Upgrade.GraphSimulator;

/// <summary>GET /_simulator/stats. Counters start at zero and return to zero on reset.</summary>
public sealed class SimulatorStats
{
    /// <summary>HTTP requests to /v1.0 (a $batch counts once here).</summary>
    public long Requests { get; set; }

    /// <summary>Items inside $batch requests.</summary>
    public long BatchItems { get; set; }

    /// <summary>Writes admitted by the quota (each counts against it, whatever the outcome).</summary>
    public long Writes { get; set; }

    /// <summary>Calls or batch items answered 429 (by any quota, or spuriously).</summary>
    public long Throttled { get; set; }

    /// <summary>Of <see cref="Throttled"/>: answered to writes (any cause: write quota, resource units, spurious).</summary>
    public long WritesThrottled { get; set; }

    /// <summary>Of <see cref="Throttled"/>: refused by the resource-unit quota (x-ms-throttle-information ResourceUnitLimitExceeded).</summary>
    public long ResourceUnitThrottled { get; set; }

    /// <summary>Refused writes that were counted against the write quotas anyway (--refused-write-cost above 0).</summary>
    public long RefusedWritesCharged { get; set; }

    /// <summary>Of <see cref="Throttled"/>: 429s sent while under every limit (--spurious-429-rate).</summary>
    public long SpuriousThrottled { get; set; }

    /// <summary>Of <see cref="Throttled"/>: user writes applied and then answered 429 (--landed-429-rate).</summary>
    public long LandedThrottled { get; set; }

    /// <summary>Calls a token sent again before the Retry-After of the 429 it got for that call had passed (README: earlyRetries).</summary>
    public long EarlyRetries { get; set; }

    /// <summary>Injected faults (500, 503, 504 and dropped connections, whole requests and batch items).</summary>
    public long Faults { get; set; }

    public long DroppedConnections { get; set; }

    /// <summary>Counted fault injections that happened (--inject KIND=N).</summary>
    public long InjectedFaults { get; set; }

    /// <summary>Requests answered 401.</summary>
    public long Unauthorized { get; set; }

    /// <summary>Successful user assignLicense calls that changed the user's licenses.</summary>
    public long LicenseWrites { get; set; }

    /// <summary>Users whose licenses were changed by more than one successful assignLicense.</summary>
    public int UsersWithMultipleLicenseWrites { get; set; }

    /// <summary>Users who at some moment held no license after having held one.</summary>
    public int UsersEverUnlicensed { get; set; }

    public List<string> UsersEverUnlicensedIds { get; set; } = new();

    /// <summary>Reads answered with an object's state from before its latest write (--replication-lag-ms).</summary>
    public long ReadsStale { get; set; }

    /// <summary>Licenses refused for a service-plan rule: direct assignLicense 400s plus group members put in DependencyViolation or MutuallyExclusiveViolation.</summary>
    public long DependencyViolations { get; set; }

    /// <summary>Group members the background group license processing has evaluated.</summary>
    public long GroupMembersProcessed { get; set; }

    /// <summary>"ideal" or "realistic".</summary>
    public string Profile { get; set; } = "ideal";

    public double FaultRate { get; set; }

    public int Users { get; set; }

    /// <summary>Requests to /v1.0 being handled now (not reset: they still finish).</summary>
    public int RequestsInFlight { get; set; }

    /// <summary>Real milliseconds since a /v1.0 request last arrived or finished; 0 while one is in flight (not reset).</summary>
    public long IdleMilliseconds { get; set; }
}
