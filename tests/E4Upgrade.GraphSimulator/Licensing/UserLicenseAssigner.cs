using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.GraphSimulator.Graph;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// POST /users/{id}/assignLicense: validates everything first, then applies add and remove as one change
/// (all or nothing), counting seats once per user whether a SKU is held directly, through groups, or both.
/// Call inside the tenant's gate.
/// </summary>
internal static class UserLicenseAssigner
{
    public const string NoChangesMessage = "No license changes provided. At least one license to add or remove must be specified.";
    public const string UsageLocationMessage = "License assignment cannot be done for user with invalid usage location.";
    public const string InheritedMessage = "User license is inherited from a group membership and it cannot be removed directly from the user.";
    public const string NotAssignedMessage = "User does not have a corresponding license.";

    public static string UnknownSkuMessage(Guid skuId) => $"License {skuId} does not correspond to a valid company License.";

    public static string CompanySkuMessage(Guid skuId) => $"License {skuId} cannot be assigned to a user.";

    public static string NoSeatsMessage(Guid skuId) => $"Subscription with SKU {skuId} does not have any available licenses.";

    public static string PlanNotInSkuMessage(Guid planId, Guid skuId) =>
        $"The service plan {planId} does not belong to the license {skuId}. Remove it from disabledPlans.";

    /// <summary>Returns null on success (the user was updated when <paramref name="changed"/> is true), else the error.</summary>
    /// <param name="addInError">Fault injection (--inject error-state): the SKUs added are stored in state Error, error Other.</param>
    public static GraphResponse? Apply(TenantState tenant, UserState user, LicenseChangeRequest change, DateTimeOffset now, out bool changed, bool addInError = false)
    {
        changed = false;
        if (change.Add.Count == 0 && change.Remove.Count == 0)
        {
            return GraphErrors.BadRequest(NoChangesMessage);
        }

        var error = ValidateSkus(tenant, change) ?? ValidateUser(user, change);
        if (error is not null)
        {
            return error;
        }

        var next = user.Assignments.Where(a => a.GroupId is not null || !change.Remove.Contains(a.SkuId)).ToList();
        foreach (var add in change.Add)
        {
            var existing = next.FindIndex(a => a.GroupId is null && a.SkuId == add.SkuId);
            var sameAsBefore = existing >= 0 && next[existing].DisabledPlans.ToHashSet().SetEquals(add.DisabledPlans);
            if (sameAsBefore)
            {
                continue;
            }

            var assignment = new LicenseAssignment(add.SkuId, add.DisabledPlans, null, addInError ? "Other" : null, now);
            if (existing >= 0)
            {
                next[existing] = assignment;
            }
            else
            {
                next.Add(assignment);
            }
        }

        if (tenant.Settings.Rules is { } rules && EnabledPlans.NewViolations(tenant, rules, user.Assignments, next).FirstOrDefault() is { } violation)
        {
            tenant.Counters.DependencyViolations++;
            return GraphErrors.BadRequest(violation.Message);
        }

        var heldBefore = TenantState.ActiveSkus(user.Assignments);
        var heldAfter = TenantState.ActiveSkus(next);
        foreach (var skuId in heldAfter.Where(s => !heldBefore.Contains(s)))
        {
            if (!tenant.Skus[skuId].CanTakeNewSeat)
            {
                return GraphErrors.BadRequest(NoSeatsMessage(skuId));
            }
        }

        var nextArray = next.ToArray();
        changed = !SameAssignments(user.Assignments, nextArray);
        if (changed)
        {
            tenant.ReplaceAssignments(user, nextArray);
        }

        return null;
    }

    private static GraphResponse? ValidateSkus(TenantState tenant, LicenseChangeRequest change)
    {
        foreach (var skuId in change.Add.Select(a => a.SkuId).Concat(change.Remove))
        {
            if (!tenant.Skus.ContainsKey(skuId))
            {
                return GraphErrors.BadRequest(UnknownSkuMessage(skuId));
            }
        }

        foreach (var add in change.Add)
        {
            var sku = tenant.Skus[add.SkuId];
            if (string.Equals(sku.AppliesTo, "Company", StringComparison.OrdinalIgnoreCase))
            {
                return GraphErrors.BadRequest(CompanySkuMessage(add.SkuId));
            }

            foreach (var plan in add.DisabledPlans)
            {
                if (!sku.PlanIds.Contains(plan))
                {
                    return GraphErrors.BadRequest(PlanNotInSkuMessage(plan, add.SkuId));
                }
            }

            // A SKU whose subscription is suspended, locked out or deleted has no assignable units.
            if (sku.CapabilityStatus is "Suspended" or "LockedOut" or "Deleted")
            {
                return GraphErrors.BadRequest(NoSeatsMessage(add.SkuId));
            }
        }

        return null;
    }

    private static GraphResponse? ValidateUser(UserState user, LicenseChangeRequest change)
    {
        if (change.Add.Count > 0 && string.IsNullOrWhiteSpace(user.UsageLocation))
        {
            return GraphErrors.BadRequest(UsageLocationMessage);
        }

        foreach (var skuId in change.Remove)
        {
            if (user.Assignments.Any(a => a.GroupId is null && a.SkuId == skuId))
            {
                continue;
            }

            return GraphErrors.BadRequest(user.Assignments.Any(a => a.SkuId == skuId) ? InheritedMessage : NotAssignedMessage);
        }

        return null;
    }

    private static bool SameAssignments(IReadOnlyList<LicenseAssignment> a, IReadOnlyList<LicenseAssignment> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => ReferenceEquals(pair.First, pair.Second));
}
