using System.Collections.Generic;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>Everything the command line can set. Defaults match Graph's documented limits.</summary>
public sealed class SimulatorOptions
{
    public const string DefaultToken = "simulator-token";

    /// <summary>Where to listen; null means http://127.0.0.1:0, or https://127.0.0.1:0 with <see cref="Https"/>.</summary>
    public string? Urls { get; set; }

    public string EffectiveUrls => Urls ?? (Https ? "https://127.0.0.1:0" : "http://127.0.0.1:0");
    public string? TenantFile { get; set; }
    public int Users { get; set; } = 100;
    public int? TargetSeats { get; set; }
    public List<string> Tokens { get; } = new();
    public List<string> ReadTokens { get; } = new();
    public RateLimit WriteLimit { get; set; } = new(3000, 150);
    public RateLimit TenantWriteLimit { get; set; } = new(18000, 300);
    public double TimeScale { get; set; } = 1.0;
    public double LatencyMs { get; set; }
    /// <summary>--group-start-delay-ms (alias --group-delay-ms): wait before a group's members are processed.</summary>
    public double GroupStartDelayMs { get; set; } = 2000;
    /// <summary>--clock held: the clock of group processing moves only when a test advances it (Pipeline/SimulatorClock.cs).</summary>
    public bool ClockHeld { get; set; }
    /// <summary>Members processed per second of Graph time once a group's processing starts; 0 = no limit.</summary>
    public double GroupMembersPerSecond { get; set; }
    /// <summary>For this long (Graph ms) after a write to an object, a read may return the object as it was before.</summary>
    public double ReplicationLagMs { get; set; }
    /// <summary>With a tail: each write's lag is log-normal, median ReplicationLagMs, 99th percentile this (Graph ms); 0 = fixed lag.</summary>
    public double ReplicationLagP99Ms { get; set; }
    /// <summary>subscribedSkus' consumedUnits lags the writes that change it (one drawn lag per read).</summary>
    public bool ConsumedUnitsLag { get; set; }
    /// <summary>--consumed-units-lag MS: consumedUnits lags by this fixed time (Graph ms) of its own; 0 = the objects' lag.</summary>
    public double ConsumedUnitsLagMs { get; set; }
    /// <summary>assignLicense may meet the usage location from before a PATCH within its lag (half of the time).</summary>
    public bool StaleUsageLocation { get; set; }
    /// <summary>Entra's concurrency retry for members given the same license by several groups: window and delay (Graph ms); 0 = off.</summary>
    public double GroupConcurrencyRetryMs { get; set; }
    /// <summary>Enforce Data/licensing-rules.json (service-plan dependencies and exclusions).</summary>
    public bool LicensingRules { get; set; }
    /// <summary>--extra-licensing-rules: a file whose "dependencies" are enforced beside Data/licensing-rules.json (turns the rules on).</summary>
    public string? ExtraLicensingRulesFile { get; set; }
    /// <summary>--inject KIND=N: counted fault injections (see Pipeline/InjectedFaults.cs).</summary>
    public Dictionary<string, int> Injections { get; } = new(System.StringComparer.Ordinal);
    /// <summary>provisioningStatus per service plan name in every SKU, unless the SKU's servicePlanStatus names the plan.</summary>
    public Dictionary<string, string> PlanStatuses { get; } = new(System.StringComparer.Ordinal);
    public string Profile { get; set; } = "ideal";
    /// <summary>Tokens a refused (429) write takes from the buckets anyway; 0 keeps refusals free.</summary>
    public double RefusedWriteCost { get; set; }
    public double FaultRate { get; set; }
    public int Seed { get; set; } = 1;

    /// <summary>Serve TLS with a self-signed certificate made at start (see <see cref="Hosting.SimulatorCertificate"/>).</summary>
    public bool Https { get; set; }

    /// <summary>The per app per tenant resource-unit quota: off (reads unmetered), auto (by tenant size) or a fixed R/S.</summary>
    public ResourceUnitLimit ResourceUnitLimit { get; set; } = ResourceUnitLimit.Off;

    /// <summary>Other apps' writes per Graph second against the tenant-wide write bucket.</summary>
    public double BackgroundWritesPerSecond { get; set; }

    /// <summary>Fraction of calls answered 429 while under every limit.</summary>
    public double Spurious429Rate { get; set; }

    /// <summary>
    /// --identity-header: serve the managed identity endpoint (/msi/token, Hosting/ManagedIdentityEndpoint.cs) and accept
    /// only this X-IDENTITY-HEADER value; null = no endpoint.
    /// </summary>
    public string? IdentityHeader { get; set; }

    /// <summary>--identity-token-lifetime: seconds a managed identity token lives (real time; fractions allowed).</summary>
    public double IdentityTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>--identity-client-id: client ids of the user-assigned identities the endpoint serves (repeatable).</summary>
    public List<string> IdentityClientIds { get; } = new();

    /// <summary>--identity-roles: the app roles (Graph application permissions) in every managed identity token, comma separated.</summary>
    public List<string> IdentityRoles { get; } = new() { "LicenseAssignment.ReadWrite.All", "User.Read.All", "Organization.Read.All", "Group.Read.All" };

    /// <summary>--server-error-rate: fraction of calls (and batch items) answered 500, 502, 503 or 504.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>--landed-429-rate: fraction of user writes applied and then answered 429.</summary>
    public double Landed429Rate { get; set; }

    /// <summary>Full-rights tokens in effect: the configured ones, or <see cref="DefaultToken"/> when none was given.</summary>
    public IReadOnlyList<string> EffectiveTokens =>
        Tokens.Count == 0 && ReadTokens.Count == 0 ? new[] { DefaultToken } : Tokens;
}
