using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>The service plans a set of license assignments switches on, and the rules a change newly breaks.</summary>
internal static class EnabledPlans
{
    /// <summary>Plan name to id over the active assignments; a plan is on if any assignment leaves it enabled.</summary>
    public static Dictionary<string, Guid> Of(TenantState tenant, IEnumerable<LicenseAssignment> assignments)
    {
        var enabled = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var assignment in assignments.Where(a => a.IsActive))
        {
            if (tenant.Skus.TryGetValue(assignment.SkuId, out var sku))
            {
                foreach (var (id, name) in sku.PlanNames)
                {
                    if (!assignment.DisabledPlans.Contains(id))
                    {
                        enabled.TryAdd(name, id);
                    }
                }
            }
        }

        return enabled;
    }

    /// <summary>Plan names one assignment leaves enabled.</summary>
    public static IEnumerable<string> Names(SkuState sku, LicenseAssignment assignment) =>
        sku.PlanNames.Where(p => !assignment.DisabledPlans.Contains(p.Key)).Select(p => p.Value);

    /// <summary>Violations of <paramref name="after"/> that <paramref name="before"/> did not already have.</summary>
    public static IReadOnlyList<RuleViolation> NewViolations(TenantState tenant, LicensingRules rules, IEnumerable<LicenseAssignment> before, IEnumerable<LicenseAssignment> after)
    {
        var existing = rules.Check(Of(tenant, before)).Select(v => v.Key).ToHashSet();
        return rules.Check(Of(tenant, after)).Where(v => !existing.Contains(v.Key)).ToList();
    }
}
