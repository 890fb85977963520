using System;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>
/// --resource-unit-limit: "off" (reads are never metered: the ideal simulator), "auto" (Graph's identity quota per app
/// per tenant by tenant size) or a fixed "R/S" resource units per S seconds.
/// </summary>
public sealed record ResourceUnitLimit(bool Enabled, RateLimit? Fixed)
{
    public static readonly ResourceUnitLimit Off = new(false, null);
    public static readonly ResourceUnitLimit Auto = new(true, null);

    public static ResourceUnitLimit Parse(string text)
    {
        switch (text.ToLowerInvariant())
        {
            case "off": return Off;
            case "auto": return Auto;
        }

        try
        {
            return new ResourceUnitLimit(true, RateLimit.Parse(text));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"--resource-unit-limit expects off, auto or R/S. {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Microsoft Graph service-specific throttling limits, "Identity and access service limits" (Learn copy
    /// 2026-02-06): 3,500 / 5,000 / 8,000 RU per 10 s per app per tenant for tenants of fewer than 50 / 50 to 500 /
    /// more than 500 users.
    /// </summary>
    public RateLimit? For(int tenantUsers)
    {
        if (!Enabled)
        {
            return null;
        }

        return Fixed ?? (tenantUsers < 50 ? new RateLimit(3500, 10) : tenantUsers <= 500 ? new RateLimit(5000, 10) : new RateLimit(8000, 10));
    }

    public override string ToString() => !Enabled ? "off" : Fixed?.ToString() ?? "auto";
}
