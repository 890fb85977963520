using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Pipeline;
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
/// Two more states (licenseAssignmentState: Active, ActiveWithError, Disabled, Error):
/// <list type="bullet">
/// <item>with <see cref="TenantSettings.GroupConcurrencyRetry"/>: a license the member was given by another group within that
/// window is recorded ActiveWithError, error Other, and Entra retries it after the same time, when it becomes Active.
/// entra-docs licensing-groups-resolve-problems.md: LicenseAssignmentAttributeConcurrencyException "usually happens when a
/// user is a member of more than one group with same assigned license. Microsoft Entra ID retries processing the user
/// license until the issue is resolved". The state and error it shows, the window and the delay are our choice (the SKU
/// is in effect through the other group, hence ActiveWithError; "Other" is the catch-all of the documented errors);</item>
/// <item>--inject group-member-disabled=N: the first N licenses granted this way are recorded Disabled (no error, not in
/// effect, no seat). No source says when Graph shows Disabled, so it is an injection only.</item>
/// </list>
/// </summary>
internal static class GroupLicenseInheritance
{
    /// <returns>True when a license was recorded ActiveWithError for a concurrent assignment: Entra retries the member later.</returns>
    public static bool Apply(TenantState tenant, GroupState group, UserState user, DateTimeOffset now, bool retrying = false)
    {
        var others = user.Assignments.Where(a => a.GroupId != group.Id).ToList();
        var previous = user.Assignments.Where(a => a.GroupId == group.Id).ToDictionary(a => a.SkuId);
        var fromGroup = new List<LicenseAssignment>();
        var pending = new List<LicenseAssignment>();
        foreach (var license in group.Licenses)
        {
            if (previous.TryGetValue(license.SkuId, out var old) && old.IsActive && old.State != LicenseAssignment.ActiveWithError)
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
        var retry = false;
        foreach (var assignment in pending)
        {
            var error = errors.Count == 0 ? null : errors.GetValueOrDefault(assignment.SkuId, "Other");
            string? state = null;
            if (error is null && tenant.Loaded)
            {
                if (!retrying && GivenByAnotherGroupJustNow(tenant, others, assignment.SkuId, now))
                {
                    (state, error, retry) = (LicenseAssignment.ActiveWithError, "Other", true);
                }
                else if (tenant.Settings.Injected?.Take(InjectedFaultKinds.GroupMemberDisabled) == true)
                {
                    state = LicenseAssignment.Disabled;
                }
            }

            var unchanged = previous.TryGetValue(assignment.SkuId, out var old) && old.Error == error && old.State == state
                && old.DisabledPlans.ToHashSet().SetEquals(assignment.DisabledPlans);
            if (!unchanged && tenant.Loaded && error is RuleViolation.Dependency or RuleViolation.MutuallyExclusive)
            {
                tenant.Counters.DependencyViolations++;
            }

            fromGroup.Add(unchanged ? old! : assignment with { Error = error, State = state });
        }

        var next = others.Concat(fromGroup).ToArray();
        if (next.Length != user.Assignments.Length || next.Except(user.Assignments).Any())
        {
            tenant.ReplaceAssignments(user, next);
        }

        return retry;
    }

    /// <summary>Another group of the member gave them this SKU within the concurrency window (processed at the same time).</summary>
    private static bool GivenByAnotherGroupJustNow(TenantState tenant, List<LicenseAssignment> others, Guid skuId, DateTimeOffset now) =>
        tenant.Settings.GroupConcurrencyRetry > TimeSpan.Zero
        && others.Any(o => o.SkuId == skuId && o.GroupId is not null && o.IsActive && now - o.LastUpdated < tenant.Settings.GroupConcurrencyRetry);

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
                Apply(tenant, group, user, now, retrying: true);
            }
        }
    }

    public static bool HasErrorsFrom(UserState user, Guid groupId) =>
        user.Assignments.Any(a => a.GroupId == groupId && (!a.IsActive || a.Error is not null));
}
