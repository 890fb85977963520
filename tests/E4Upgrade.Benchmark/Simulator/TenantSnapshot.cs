using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>The part of GET /_simulator/tenant the benchmark needs: SKU ids by part number and each user's direct licenses.</summary>
public sealed class TenantSnapshot
{
    public const string SourceSku = "ENTERPRISEWITHSCAL";
    public const string TargetSku = "SPE_E5";

    private TenantSnapshot(Guid sourceSkuId, Guid targetSkuId, IReadOnlyList<TenantUser> users)
    {
        SourceSkuId = sourceSkuId;
        TargetSkuId = targetSkuId;
        Users = users;
    }

    public Guid SourceSkuId { get; }
    public Guid TargetSkuId { get; }
    public IReadOnlyList<TenantUser> Users { get; }

    /// <summary>Users holding the source SKU by direct assignment, in tenant order: the users an admin sets out to move.</summary>
    public IReadOnlyList<TenantUser> DirectSourceHolders() => Users.Where(u => u.DirectSkus.Contains(SourceSkuId)).ToList();

    public static TenantSnapshot From(JsonElement tenant)
    {
        var skus = tenant.GetProperty("subscribedSkus").EnumerateArray()
            .ToDictionary(s => s.GetProperty("skuPartNumber").GetString()!, s => Guid.Parse(s.GetProperty("skuId").GetString()!), StringComparer.OrdinalIgnoreCase);
        var users = new List<TenantUser>();
        foreach (var user in tenant.GetProperty("users").EnumerateArray())
        {
            var direct = new HashSet<Guid>();
            foreach (var license in user.GetProperty("assignedLicenses").EnumerateArray())
            {
                direct.Add(Guid.Parse(license.GetProperty("skuId").GetString()!));
            }

            var usageLocation = user.TryGetProperty("usageLocation", out var location) && location.ValueKind == JsonValueKind.String ? location.GetString() : null;
            users.Add(new TenantUser(Guid.Parse(user.GetProperty("id").GetString()!), user.GetProperty("userPrincipalName").GetString()!, !string.IsNullOrEmpty(usageLocation), direct));
        }

        return new TenantSnapshot(Sku(skus, SourceSku), Sku(skus, TargetSku), users);
    }

    private static Guid Sku(Dictionary<string, Guid> skus, string partNumber) =>
        skus.TryGetValue(partNumber, out var id) ? id : throw new InvalidDataException($"The simulator's tenant has no {partNumber} SKU.");
}

/// <summary>A user as the tenant holds them: direct (not group-inherited) SKUs only.</summary>
public sealed record TenantUser(Guid Id, string UserPrincipalName, bool HasUsageLocation, IReadOnlySet<Guid> DirectSkus);
