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
        new("--replication-lag-ms", "2000",
            "Entra 'Designing for eventual consistency' (2026-03-24): an immediate read may not reflect a successful write. Microsoft gives no figure; 2 s is our choice."),
        new("--group-start-delay-ms", "10000",
            "Entra licensing-group-advanced: group license changes 'could take time'. No figure is published; 10 s is our choice."),
        new("--group-members-per-second", "20",
            "Entra licensing-group-advanced: open a ticket if processing takes more than 24 h for up to 60K users (a floor of 0.7 members/s). 20/s is our choice, well inside that."),
    };
}
