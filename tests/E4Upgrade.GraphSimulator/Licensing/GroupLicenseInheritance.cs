using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// Applies one group's licenses to one member, as Entra group licensing does: licenses already active stay,
/// new ones are granted all together or, when any lacks a seat, none is (each gets state Error, the SKU without a
/// seat error CountViolation, the others Other). Licenses the group no longer has are taken away.
/// Call inside the tenant's gate.
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

        var heldOtherwise = TenantState.ActiveSkus(others.Concat(fromGroup));
        var failing = pending
            .Where(p => !heldOtherwise.Contains(p.SkuId) && !(tenant.Skus.TryGetValue(p.SkuId, out var sku) && sku.CanTakeNewSeat))
            .Select(p => p.SkuId)
            .ToHashSet();
        foreach (var assignment in pending)
        {
            var error = failing.Count == 0 ? null : failing.Contains(assignment.SkuId) ? "CountViolation" : "Other";
            var unchanged = previous.TryGetValue(assignment.SkuId, out var old) && old.Error == error
                && old.DisabledPlans.ToHashSet().SetEquals(assignment.DisabledPlans);
            fromGroup.Add(unchanged ? old! : assignment with { Error = error });
        }

        var next = others.Concat(fromGroup).ToArray();
        if (next.Length != user.Assignments.Length || next.Except(user.Assignments).Any())
        {
            tenant.ReplaceAssignments(user, next);
        }
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
