using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// Applies one group's licenses to one member, as Entra group licensing does: licenses already active stay,
/// new ones are granted all together or, when any cannot be, none is: each gets state Error, the one that failed
/// its cause (below) and the others Other. Licenses the group no longer has are taken away. Call inside the tenant's gate.
/// Causes, first match per license: UniquenessViolation (it brings a mailbox and another user holds one of this
/// user's proxyAddresses), ProhibitedInUsageLocationViolation (the SKU's prohibitedUsageLocations has the user's
/// usageLocation), DependencyViolation / MutuallyExclusiveViolation (with licensing rules on: granting everything
/// would newly break a rule naming one of this license's enabled plans), CountViolation (no free seat).
/// </summary>
internal static class GroupLicenseInheritance
{
    public static void Apply(TenantState tenant, GroupState group, UserState user, DateTimeOffset now)
    {
        var others = user.Assignments.Where(a => a.GroupId != group.Id).ToList();
        var previous = user.Assignments.Where(a => a.GroupId == group.Id).ToDictionary(a => a.SkuId);
        var fromGroup = new List<LicenseAssignment>();
        var pending = new List<LicenseAssignment>();
        foreach (var license in group.Licenses)
        {
            if (previous.TryGetValue(license.SkuId, out var old) && old.IsActive)
            {
                fromGroup.Add(old.DisabledPlans.ToHashSet().SetEquals(license.DisabledPlans)
                    ? old
                    : old with { DisabledPlans = license.DisabledPlans, LastUpdated = now });
            }
            else
            {
                pending.Add(new LicenseAssignment(license.SkuId, license.DisabledPlans, group.Id, null, now));
            }
        }

        var errors = Errors(tenant, user, others.Concat(fromGroup).ToList(), pending);
        foreach (var assignment in pending)
        {
            var error = errors.Count == 0 ? null : errors.GetValueOrDefault(assignment.SkuId, "Other");
            var unchanged = previous.TryGetValue(assignment.SkuId, out var old) && old.Error == error
                && old.DisabledPlans.ToHashSet().SetEquals(assignment.DisabledPlans);
            if (!unchanged && tenant.Loaded && error is RuleViolation.Dependency or RuleViolation.MutuallyExclusive)
            {
                tenant.Counters.DependencyViolations++;
            }

            fromGroup.Add(unchanged ? old! : assignment with { Error = error });
        }

        var next = others.Concat(fromGroup).ToArray();
        if (next.Length != user.Assignments.Length || next.Except(user.Assignments).Any())
        {
            tenant.ReplaceAssignments(user, next);
        }
    }

    /// <summary>The licenseAssignmentState error of each pending license that cannot be granted (empty: all can).</summary>
    private static Dictionary<Guid, string> Errors(TenantState tenant, UserState user, List<LicenseAssignment> kept, List<LicenseAssignment> pending)
    {
        var errors = new Dictionary<Guid, string>();
        if (pending.Count == 0)
        {
            return errors;
        }

        var mailboxPlans = LicensingRules.Shared.MailboxPlans;
        var heldOtherwise = TenantState.ActiveSkus(kept);
        var proxyTaken = tenant.ProxyAddressTaken(user) && !EnabledPlans.Of(tenant, kept).Keys.Any(mailboxPlans.Contains);
        var ruleErrors = tenant.Settings.Rules is { } rules ? RuleErrors(tenant, rules, user, kept, pending) : new Dictionary<Guid, string>();
        foreach (var assignment in pending)
        {
            if (!tenant.Skus.TryGetValue(assignment.SkuId, out var sku))
            {
                continue;
            }

            if (proxyTaken && EnabledPlans.Names(sku, assignment).Any(mailboxPlans.Contains))
            {
                errors[sku.SkuId] = "UniquenessViolation";
            }
            else if (user.UsageLocation is { } location && sku.ProhibitedUsageLocations.Contains(location))
            {
                errors[sku.SkuId] = "ProhibitedInUsageLocationViolation";
            }
            else if (ruleErrors.TryGetValue(sku.SkuId, out var ruleError))
            {
                errors[sku.SkuId] = ruleError;
            }
            else if (!heldOtherwise.Contains(sku.SkuId) && !sku.CanTakeNewSeat)
            {
                errors[sku.SkuId] = "CountViolation";
            }
        }

        return errors;
    }

    private static Dictionary<Guid, string> RuleErrors(TenantState tenant, LicensingRules rules, UserState user, List<LicenseAssignment> kept, List<LicenseAssignment> pending)
    {
        var errors = new Dictionary<Guid, string>();
        foreach (var violation in EnabledPlans.NewViolations(tenant, rules, user.Assignments, kept.Concat(pending)))
        {
            var culprit = pending.FirstOrDefault(p => tenant.Skus.TryGetValue(p.SkuId, out var sku)
                && EnabledPlans.Names(sku, p).Any(violation.Plans.Contains));
            if (culprit is not null)
            {
                errors.TryAdd(culprit.SkuId, violation.AssignmentError);
            }
        }

        return errors;
    }

    /// <summary>POST /users/{id}/reprocessLicenseAssignment: re-evaluates every group the user belongs to.</summary>
    public static void Reprocess(TenantState tenant, UserState user, DateTimeOffset now)
    {
        foreach (var groupId in user.GroupIds)
        {
            if (tenant.FindGroup(groupId.ToString()) is { } group)
            {
                Apply(tenant, group, user, now);
            }
        }
    }

    public static bool HasErrorsFrom(UserState user, Guid groupId) =>
        user.Assignments.Any(a => a.GroupId == groupId && !a.IsActive);
}
