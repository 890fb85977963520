using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Graph.Models;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>Graph SDK models to the engine's SDK-free licensing models, and back for request bodies.</summary>
    internal static class GraphModelMapper
    {
        public static SkuInfo ToSku(SubscribedSku sku) => new SkuInfo
        {
            SkuId = sku.SkuId ?? Guid.Empty,
            SkuPartNumber = sku.SkuPartNumber ?? "",
            CapabilityStatus = sku.CapabilityStatus ?? "",
            AppliesTo = sku.AppliesTo ?? "User",
            ConsumedUnits = sku.ConsumedUnits ?? 0,
            EnabledUnits = sku.PrepaidUnits?.Enabled ?? 0,
            SuspendedUnits = sku.PrepaidUnits?.Suspended ?? 0,
            WarningUnits = sku.PrepaidUnits?.Warning ?? 0,
            LockedOutUnits = sku.PrepaidUnits?.LockedOut ?? 0,
            ServicePlans = (sku.ServicePlans ?? new List<ServicePlanInfo>()).Select(ToPlan).ToArray(),
            SubscriptionIds = (sku.SubscriptionIds ?? new List<string>()).Where(id => id != null).ToArray(),
        };

        public static SubscriptionInfo ToSubscription(CompanySubscription subscription) => new SubscriptionInfo
        {
            Id = subscription.Id ?? "",
            CommerceSubscriptionId = subscription.CommerceSubscriptionId,
            SkuId = Guid.TryParse(subscription.SkuId, out var skuId) ? skuId : Guid.Empty,
            SkuPartNumber = subscription.SkuPartNumber ?? "",
            Status = subscription.Status ?? "",
            IsTrial = subscription.IsTrial ?? false,
            TotalLicenses = subscription.TotalLicenses ?? 0,
            CreatedDateTime = subscription.CreatedDateTime,
            NextLifecycleDateTime = subscription.NextLifecycleDateTime,
        };

        public static UserLicenses ToUser(User user) => new UserLicenses
        {
            Id = user.Id ?? "",
            UserPrincipalName = user.UserPrincipalName ?? "",
            UsageLocation = string.IsNullOrEmpty(user.UsageLocation) ? null : user.UsageLocation,
            AssignedLicenses = ToAssigned(user.AssignedLicenses),
            AssignmentStates = (user.LicenseAssignmentStates ?? new List<LicenseAssignmentState>())
                .Where(state => state?.SkuId != null)
                .Select(state => new LicenseAssignment
                {
                    SkuId = state.SkuId!.Value,
                    AssignedByGroup = string.IsNullOrEmpty(state.AssignedByGroup) ? null : state.AssignedByGroup,
                    State = state.State,
                    Error = state.Error,
                    DisabledPlans = Guids(state.DisabledPlans),
                })
                .ToArray(),
        };

        public static GroupLicenses ToGroup(Group group) => new GroupLicenses
        {
            Id = group.Id ?? "",
            DisplayName = group.DisplayName ?? "",
            AssignedLicenses = ToAssigned(group.AssignedLicenses),
            LicenseProcessingState = ReadProcessingState(group),
        };

        public static List<AssignedLicense> ToAssignedLicenses(LicenseChange change) =>
            change.Add.Select(add => new AssignedLicense
            {
                SkuId = add.SkuId,
                DisabledPlans = add.DisabledPlans.Select(plan => (Guid?)plan).ToList(),
            }).ToList();

        public static List<Guid?> ToRemovedLicenses(LicenseChange change) => change.Remove.Select(sku => (Guid?)sku).ToList();

        private static ServicePlan ToPlan(ServicePlanInfo plan) => new ServicePlan
        {
            ServicePlanId = plan.ServicePlanId ?? Guid.Empty,
            ServicePlanName = plan.ServicePlanName ?? "",
            ProvisioningStatus = plan.ProvisioningStatus ?? "",
            AppliesTo = plan.AppliesTo ?? "User",
        };

        private static IReadOnlyList<AssignedSku> ToAssigned(List<AssignedLicense>? licenses) =>
            (licenses ?? new List<AssignedLicense>())
                .Where(license => license?.SkuId != null)
                .Select(license => new AssignedSku(license.SkuId!.Value, Guids(license.DisabledPlans)))
                .ToArray();

        private static IReadOnlyList<Guid> Guids(List<Guid?>? values) =>
            (values ?? new List<Guid?>()).Where(value => value.HasValue).Select(value => value!.Value).ToArray();

        /// <summary>The docs call licenseProcessingState a string, the SDK an object { state }: accept both.</summary>
        private static string? ReadProcessingState(Group group)
        {
            if (!string.IsNullOrEmpty(group.LicenseProcessingState?.State))
            {
                return group.LicenseProcessingState!.State;
            }

            if (group.AdditionalData != null
                && group.AdditionalData.TryGetValue("licenseProcessingState", out var raw)
                && raw is string text
                && text.Length > 0)
            {
                return text;
            }

            return null;
        }
    }
}
