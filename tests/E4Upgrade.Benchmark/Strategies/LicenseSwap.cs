using System;
using System.Collections.Generic;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.AssignLicense;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// The body admins send: add the target with no disabled plans and remove E4, in one call (so no user is ever
/// unlicensed). Like the usual scripts it does not carry E4's disabled plans across.
/// </summary>
public sealed record LicenseSwap(Guid SourceSkuId, Guid TargetSkuId)
{
    public AssignLicensePostRequestBody Body() => new()
    {
        AddLicenses = new List<AssignedLicense> { new() { SkuId = TargetSkuId, DisabledPlans = new List<Guid?>() } },
        RemoveLicenses = new List<Guid?> { SourceSkuId },
    };
}
