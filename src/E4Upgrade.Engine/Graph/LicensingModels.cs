using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>A tenant SKU as <c>GET /subscribedSkus</c> reports it, without any Graph SDK type.</summary>
    public sealed class SkuInfo
    {
        public Guid SkuId { get; set; }
        public string SkuPartNumber { get; set; } = "";
        public string CapabilityStatus { get; set; } = "";
        public string AppliesTo { get; set; } = "User";
        public int ConsumedUnits { get; set; }
        public int EnabledUnits { get; set; }
        public int SuspendedUnits { get; set; }
        public int WarningUnits { get; set; }
        public int LockedOutUnits { get; set; }
        public IReadOnlyList<ServicePlan> ServicePlans { get; set; } = Array.Empty<ServicePlan>();
        public IReadOnlyList<string> SubscriptionIds { get; set; } = Array.Empty<string>();

        /// <summary>Seats that can still be assigned: prepaidUnits.enabled - consumedUnits.</summary>
        public int AvailableUnits => Math.Max(0, EnabledUnits - ConsumedUnits);
    }

    public sealed class ServicePlan
    {
        public Guid ServicePlanId { get; set; }
        public string ServicePlanName { get; set; } = "";
        public string ProvisioningStatus { get; set; } = "";
        public string AppliesTo { get; set; } = "User";
    }

    /// <summary>A companySubscription from <c>GET /directory/subscriptions</c>.</summary>
    public sealed class SubscriptionInfo
    {
        public string Id { get; set; } = "";
        public string? CommerceSubscriptionId { get; set; }
        public Guid SkuId { get; set; }
        public string SkuPartNumber { get; set; } = "";
        public string Status { get; set; } = "";
        public bool IsTrial { get; set; }
        public int TotalLicenses { get; set; }
        public DateTimeOffset? CreatedDateTime { get; set; }
        public DateTimeOffset? NextLifecycleDateTime { get; set; }
    }

    public sealed class AssignedSku
    {
        public AssignedSku(Guid skuId, IReadOnlyList<Guid>? disabledPlans = null)
        {
            SkuId = skuId;
            DisabledPlans = disabledPlans ?? Array.Empty<Guid>();
        }

        public Guid SkuId { get; }
        public IReadOnlyList<Guid> DisabledPlans { get; }
    }

    /// <summary>One entry of user.licenseAssignmentStates: tells direct (AssignedByGroup null) from inherited.</summary>
    public sealed class LicenseAssignment
    {
        public Guid SkuId { get; set; }
        public string? AssignedByGroup { get; set; }
        public string? State { get; set; }
        /// <summary>None/null means no error; otherwise CountViolation, MutuallyExclusiveViolation, ...</summary>
        public string? Error { get; set; }
        public IReadOnlyList<Guid> DisabledPlans { get; set; } = Array.Empty<Guid>();
        public bool IsDirect => string.IsNullOrEmpty(AssignedByGroup);
        public bool HasError => !string.IsNullOrEmpty(Error) && !string.Equals(Error, "None", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The licensing view of one user.</summary>
    public sealed class UserLicenses
    {
        public string Id { get; set; } = "";
        public string UserPrincipalName { get; set; } = "";
        public string? UsageLocation { get; set; }
        public IReadOnlyList<AssignedSku> AssignedLicenses { get; set; } = Array.Empty<AssignedSku>();
        public IReadOnlyList<LicenseAssignment> AssignmentStates { get; set; } = Array.Empty<LicenseAssignment>();

        /// <summary>How messages name the user: the UPN, or the id when Graph returned none.</summary>
        public string Label => string.IsNullOrEmpty(UserPrincipalName) ? Id : UserPrincipalName;

        /// <summary>A copy with another usage location (the one this run set).</summary>
        internal UserLicenses WithUsageLocation(string? usageLocation) => new UserLicenses
        {
            Id = Id,
            UserPrincipalName = UserPrincipalName,
            UsageLocation = usageLocation,
            AssignedLicenses = AssignedLicenses,
            AssignmentStates = AssignmentStates,
        };
    }

    public sealed class GroupLicenses
    {
        public string Id { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public IReadOnlyList<AssignedSku> AssignedLicenses { get; set; } = Array.Empty<AssignedSku>();
        /// <summary>QueuedForProcessing, ProcessingInProgress, ProcessingComplete, or null when not reported.</summary>
        public string? LicenseProcessingState { get; set; }

        /// <summary>How messages name the group: "display name (id)", or the id when it has no name.</summary>
        public string Label => string.IsNullOrEmpty(DisplayName) ? Id : DisplayName + " (" + Id + ")";
    }

    /// <summary>The body of one assignLicense call: added SKUs (with their disabled plans) and removed SKU ids.</summary>
    public sealed class LicenseChange
    {
        public LicenseChange(IReadOnlyList<AssignedSku> add, IReadOnlyList<Guid> remove)
        {
            Add = add;
            Remove = remove;
        }

        public IReadOnlyList<AssignedSku> Add { get; }
        public IReadOnlyList<Guid> Remove { get; }
    }
}
