using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>One license assignment on a user: direct when <see cref="GroupId"/> is null, otherwise inherited from that group.</summary>
internal sealed record LicenseAssignment(Guid SkuId, Guid[] DisabledPlans, Guid? GroupId, string? Error, DateTimeOffset LastUpdated)
{
    public bool IsActive => Error is null;
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
}
