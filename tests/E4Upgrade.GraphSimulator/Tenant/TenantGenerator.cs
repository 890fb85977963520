using System;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// --users N: a tenant of N users holding Office 365 E4, in the --tenant file shape (README.md, "Generated tenant").
/// Categories follow the user number so every tenant of 20+ users has each of them; --seed picks ids, countries
/// and which E4 plans are disabled.
/// </summary>
internal static class TenantGenerator
{
    private static readonly string[] Countries = { "US", "GB", "DE", "FR", "NL", "JP", "CA", "AU" };

    public static JsonObject Generate(int users, int? targetSeats, int seed) => Generate(users, targetSeats, seed, null);

    /// <summary>With <paramref name="rules"/>, users' disabled E4 plans are drawn so that no rule is broken (a real tenant holds no such state).</summary>
    public static JsonObject Generate(int users, int? targetSeats, int seed, LicensingRules? rules)
    {
        var random = new Random(seed);
        Guid NextGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        var tenantId = NextGuid();
        var catalog = SkuCatalog.GeneratedTenantSkus.Select(id => SkuCatalog.Shared.Find(id)!).ToList();
        var e4 = catalog[0];
        var skus = new JsonArray();
        var subscriptions = new JsonArray();
        foreach (var sku in catalog)
        {
            var seats = sku.SkuId == SkuCatalog.E4 ? users : targetSeats ?? users;
            var subscriptionId = NextGuid();
            var plans = SkuReader.ServicePlans(sku);
            skus.Add(new JsonObject
            {
                ["accountName"] = "Contoso",
                ["accountId"] = tenantId.ToString(),
                ["appliesTo"] = "User",
                ["capabilityStatus"] = "Enabled",
                ["consumedUnits"] = 0,
                ["id"] = $"{tenantId}_{sku.SkuId}",
                ["prepaidUnits"] = new JsonObject { ["enabled"] = seats, ["lockedOut"] = 0, ["suspended"] = 0, ["warning"] = 0 },
                ["servicePlans"] = plans,
                ["skuId"] = sku.SkuId!.Value.ToString(),
                ["skuPartNumber"] = sku.SkuPartNumber,
                ["subscriptionIds"] = new JsonArray(subscriptionId.ToString()),
            });
            subscriptions.Add(new JsonObject
            {
                ["createdDateTime"] = "2024-01-01T00:00:00Z",
                ["commerceSubscriptionId"] = subscriptionId.ToString(),
                ["id"] = NextGuid().ToString(),
                ["isTrial"] = false,
                ["nextLifecycleDateTime"] = "2026-12-31T00:00:00Z",
                ["serviceStatus"] = plans.DeepClone(),
                ["skuId"] = sku.SkuId!.Value.ToString(),
                ["skuPartNumber"] = sku.SkuPartNumber,
                ["status"] = "Enabled",
                ["totalLicenses"] = seats,
                ["ownerId"] = null,
                ["ownerTenantId"] = null,
                ["ownerType"] = null,
            });
        }

        var groupIds = Enumerable.Range(0, 3).Select(_ => NextGuid()).ToArray();
        var groupMembers = groupIds.Select(_ => new JsonArray()).ToArray();
        var userArray = new JsonArray();
        for (var n = 1; n <= users; n++)
        {
            var id = NextGuid();
            var upn = (n % 1000) switch
            {
                2 => $"o'brien.user{n:D5}@contoso.onmicrosoft.com",
                5 => $"zoë.müller{n:D5}@contoso.onmicrosoft.com",
                _ => $"user{n:D5}@contoso.onmicrosoft.com",
            };
            var country = Countries[random.Next(Countries.Length)];
            var licenses = new JsonArray();
            if (n % 20 == 11)
            {
                var first = (n / 20) % 3;
                groupMembers[first].Add(id.ToString());
                if ((n / 20) % 4 == 0)
                {
                    groupMembers[(first + 1) % 3].Add(id.ToString());
                }
            }
            else
            {
                var disabled = n % 20 == 3 ? DisabledPlans(e4, random, rules) : Array.Empty<Guid>();
                licenses.Add(new JsonObject
                {
                    ["disabledPlans"] = new JsonArray(disabled.Select(d => (JsonNode?)d.ToString()).ToArray()),
                    ["skuId"] = SkuCatalog.E4.ToString(),
                });
            }

            userArray.Add(new JsonObject
            {
                ["id"] = id.ToString(),
                ["userPrincipalName"] = upn,
                ["displayName"] = $"User {n:D5}",
                ["mail"] = upn,
                ["usageLocation"] = n % 100 == 7 ? null : country,
                ["accountEnabled"] = true,
                ["assignedLicenses"] = licenses,
            });
        }

        var groups = new JsonArray(groupIds.Select((g, i) => (JsonNode?)new JsonObject
        {
            ["id"] = g.ToString(),
            ["displayName"] = $"E4 licensing {(char)('A' + i)}",
            ["securityEnabled"] = true,
            ["mailEnabled"] = false,
            ["groupTypes"] = new JsonArray(),
            ["assignedLicenses"] = new JsonArray(new JsonObject { ["disabledPlans"] = new JsonArray(), ["skuId"] = SkuCatalog.E4.ToString() }),
            ["members"] = groupMembers[i],
        }).ToArray());

        return new JsonObject
        {
            ["subscribedSkus"] = skus,
            ["subscriptions"] = subscriptions,
            ["users"] = userArray,
            ["groups"] = groups,
        };
    }

    private static Guid[] DisabledPlans(CatalogSku e4, Random random, LicensingRules? rules)
    {
        for (var attempt = 0; ; attempt++)
        {
            var disabled = e4.Plans.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).Select(p => p.Id).ToArray();
            var enabled = e4.Plans.Where(p => !disabled.Contains(p.Id)).ToDictionary(p => p.Name, p => p.Id);
            if (rules is null || rules.Check(enabled).Count == 0)
            {
                return disabled;
            }

            if (attempt == 20)
            {
                return Array.Empty<Guid>();
            }
        }
    }
}
