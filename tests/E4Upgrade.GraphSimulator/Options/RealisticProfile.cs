using System.Collections.Generic;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>One default a profile sets: the option as typed on the command line, its value (null for a flag), and where the value comes from.</summary>
public sealed record ProfileSetting(string Option, string? Value, string Source)
{
    public IEnumerable<string> Arguments => Value is null ? new[] { Option } : new[] { Option, Value };
}

/// <summary>
/// --profile realistic: Graph as hard as Microsoft documents it. The settings are applied before the rest of the
/// command line, so any option given explicitly wins. Add a knob here (one line, with its source) and to README.md's
/// profile table; --profile ideal (the default) sets nothing.
/// </summary>
public static class RealisticProfile
{
    public static IReadOnlyList<ProfileSetting> Settings { get; } = new ProfileSetting[]
    {
        new("--plan-status", "INTUNE_O365=PendingActivation",
            "Graph servicePlanInfo: PendingActivation = 'requires explicit activation by an administrator (for example, Intune_O365)'; the normal state in real tenants (graph-licensing.md section 10)."),
        new("--licensing-rules", "on",
            "Data/licensing-rules.json: each rule names its own source."),
        new("--replication-lag-ms", "1000",
            "Entra 'Designing for eventual consistency' (2026-03-24): an immediate read may not reflect a successful write. Microsoft gives no figure; a median of 1 s is our choice."),
        new("--replication-lag-p99-ms", "10000",
            "Same page; no bound is published. A long tail is our choice: log-normal, median 1 s, 99th percentile 10 s, cut at 40 s (4 x the 99th percentile)."),
        new("--consumed-units-lag", "on",
            "Public reports of consumedUnits lagging assignments (graph-licensing.md section 11); subscribedSkus is a read like any other. The lag is the same distribution (our choice)."),
        new("--stale-usage-location", "on",
            "Public reports of 'invalid usage location' for users whose usage location is set (microsoft/Partner-Center-DotNet-Samples issue 131) and scripts that wait between the PATCH and the license (MicrosoftDocs/OfficeDocs-Enterprise issue 809). Half of the time within the PATCH's lag is our choice."),
        new("--group-start-delay-ms", "10000",
            "Entra licensing-group-advanced: group license changes 'could take time'. No figure is published; 10 s is our choice."),
        new("--group-members-per-second", "20",
            "Entra licensing-group-advanced: open a ticket if processing takes more than 24 h for up to 60K users (a floor of 0.7 members/s). 20/s is our choice, well inside that."),
        new("--group-concurrency-retry-ms", "30000",
            "entra-docs licensing-groups-resolve-problems.md: LicenseAssignmentAttributeConcurrencyException for a user in several groups with the same license; 'Microsoft Entra ID retries processing the user license until the issue is resolved'. The 30 s window and retry delay are our choice."),
        new("--refused-write-cost", "1",
            "Graph throttling guidance (learn.microsoft.com/graph/throttling): immediate retries 'accrue against your usage limits'; Graph 'continues to log resource usage while a client is being throttled'."),
        new("--resource-unit-limit", "auto",
            "Graph service-specific throttling limits, identity and access (Learn copy 2026-02-06): 3,500 / 5,000 / 8,000 RU per 10 s per app per tenant for < 50 / 50-500 / > 500 users; documented costs per request."),
        new("--background-writes", "2",
            "Same page: the 18,000 writes per 5 min tenant limit counts every app (sync, portals, other tools). No figure for their share is published; 2 writes/s (3% of 60/s) is our choice."),
        new("--spurious-429-rate", "0.001",
            "Same page: 429s 'can occur even below these limits' under heavy load or tenant data volume. No rate is published; 1 in 1,000 calls is our choice."),
        new("--server-error-rate", "0.002",
            "Microsoft Dev Proxy's Graph error list (graphrandomerrorplugin) names 500, 502, 503 and 504 among the errors Graph returns. No rate is published; 1 in 500 calls is our choice."),
        new("--landed-429-rate", "0.001",
            "Microsoft Q&A 5529013: a $batch request may be carried out and still be answered 429. No rate is published; 1 in 1,000 user writes is our choice."),
    };
}
