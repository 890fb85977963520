using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// One license assignment on a user: direct when <see cref="GroupId"/> is null, otherwise inherited from that group.
/// <see cref="State"/> null means what <see cref="Error"/> implies (Active without one, Error with one); set, it is one
/// of licenseAssignmentState's other states: ActiveWithError (in effect, with an error recorded) or Disabled (not in effect, no error).
/// </summary>
internal sealed record LicenseAssignment(Guid SkuId, Guid[] DisabledPlans, Guid? GroupId, string? Error, DateTimeOffset LastUpdated, string? State = null)
{
    public const string ActiveWithError = "ActiveWithError";
    public const string Disabled = "Disabled";

    /// <summary>In effect: the user has the SKU's services, it takes a seat and assignedLicenses lists it.</summary>
    public bool IsActive => State switch
    {
        ActiveWithError => true,
        Disabled => false,
        _ => Error is null,
    };

    /// <summary>licenseAssignmentState.state as Graph answers it.</summary>
    public string StateName => State ?? (Error is null ? "Active" : "Error");
}

internal sealed class SkuState
{
    public required Guid SkuId { get; init; }
    public required string SkuPartNumber { get; init; }
    public required string Id { get; init; }
    public string AppliesTo { get; init; } = "User";
    public string CapabilityStatus { get; init; } = "Enabled";
    public int Enabled { get; init; }
    public int Suspended { get; init; }
    public int Warning { get; init; }
    public int LockedOut { get; init; }
    public int Consumed { get; set; }
    public required HashSet<Guid> PlanIds { get; init; }
    public required Dictionary<Guid, string> PlanNames { get; init; }

    /// <summary>provisioningStatus per plan set by the tenant file's servicePlanStatus or a --plan-status default.</summary>
    public Dictionary<Guid, string> PlanStatuses { get; init; } = new();

    /// <summary>Until then (real time) every plan shows PendingProvisioning (the tenant file's provisioningSeconds).</summary>
    public DateTimeOffset? ProvisionedAt { get; init; }

    /// <summary>Usage locations this SKU cannot be used in (tenant file's prohibitedUsageLocations; simulator input only).</summary>
    public HashSet<string> ProhibitedUsageLocations { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Named by skuPartNumber or skuId only: plans came from the catalog (and a subscription is made if none is given).</summary>
    public bool FromCatalog { get; init; }

    public string PlanStatus(Guid planId, string? asLoaded, DateTimeOffset now) =>
        ProvisionedAt is { } ready && now < ready ? "PendingProvisioning"
        : PlanStatuses.TryGetValue(planId, out var status) ? status
        : asLoaded ?? "Success";

    /// <summary>The SKU as loaded, for the properties the simulator does not interpret (servicePlans, accountName...).</summary>
    public required JsonObject Source { get; init; }

    public bool CanTakeNewSeat =>
        CapabilityStatus is not ("Suspended" or "LockedOut" or "Deleted") && Consumed < Enabled;
}

internal sealed class UserState
{
    public required int Ordinal { get; init; }
    public required Guid Id { get; init; }
    public required string UserPrincipalName { get; init; }
    public string? DisplayName { get; set; }
    public string? Mail { get; set; }
    public string? UsageLocation { get; set; }
    public bool AccountEnabled { get; set; } = true;
    public LicenseAssignment[] Assignments { get; set; } = Array.Empty<LicenseAssignment>();
    public List<Guid> GroupIds { get; } = new();

    /// <summary>Properties from the tenant file the simulator does not interpret; kept so the file round-trips.</summary>
    public JsonObject? Extra { get; set; }

    /// <summary>The user as it was before <see cref="LastWrittenAt"/> (kept only with a replication lag).</summary>
    public UserState? Previous { get; set; }
    public DateTimeOffset LastWrittenAt { get; set; }

    /// <summary>Until then (real time) a read may still show <see cref="Previous"/>: the latest write's drawn lag.</summary>
    public DateTimeOffset StaleUntil { get; set; }

    /// <summary>A detached copy of what a read shows (no history of its own).</summary>
    public UserState Snapshot() => new()
    {
        Ordinal = Ordinal,
        Id = Id,
        UserPrincipalName = UserPrincipalName,
        DisplayName = DisplayName,
        Mail = Mail,
        UsageLocation = UsageLocation,
        AccountEnabled = AccountEnabled,
        Assignments = Assignments,
        Extra = (JsonObject?)Extra?.DeepClone(),
    };
}

internal sealed class GroupState
{
    public required Guid Id { get; init; }
    public string? DisplayName { get; set; }
    public LicenseAssignment[] Licenses { get; set; } = Array.Empty<LicenseAssignment>();
    public List<int> MemberOrdinals { get; } = new();
    public string LicenseProcessingState { get; set; } = "ProcessingComplete";

    /// <summary>Bumped on every license change so a stale background run knows to stop.</summary>
    public int LicenseVersion { get; set; }
    public JsonObject? Extra { get; set; }

    /// <summary>The group as it was before <see cref="LastWrittenAt"/> (kept only with a replication lag).</summary>
    public GroupState? Previous { get; set; }
    public DateTimeOffset LastWrittenAt { get; set; }

    /// <summary>Until then (real time) a read may still show <see cref="Previous"/>: the latest write's drawn lag.</summary>
    public DateTimeOffset StaleUntil { get; set; }

    public GroupState Snapshot()
    {
        var copy = new GroupState { Id = Id, DisplayName = DisplayName, Licenses = Licenses, LicenseProcessingState = LicenseProcessingState, Extra = Extra };
        copy.MemberOrdinals.AddRange(MemberOrdinals);
        return copy;
    }
}
