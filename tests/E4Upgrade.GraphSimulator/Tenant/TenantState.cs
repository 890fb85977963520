using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>
/// The live tenant. Every read and write happens inside <see cref="Gate"/>; critical sections are short
/// (one user, or one page of an index) so thousands of requests per second fit on two cores.
/// </summary>
internal sealed class TenantState
{
    private readonly Dictionary<Guid, UserState> usersById = new();
    private readonly Dictionary<string, UserState> usersByUpn = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, SortedSet<int>> usersBySku = new();
    private readonly Dictionary<Guid, GroupState> groupsById = new();
    private readonly HashSet<int> usersEverUnlicensed = new();
    private readonly Dictionary<string, HashSet<int>> usersByProxyAddress = new(StringComparer.OrdinalIgnoreCase);
    private int[] licenseWritesByUser = Array.Empty<int>();

    public TenantState(string tenantId, TenantSettings settings)
    {
        TenantId = tenantId;
        Settings = settings;
        Replica = new ReplicaReads(settings, Counters);
    }

    public TenantSettings Settings { get; }
    public ModelCounters Counters { get; } = new();
    public ReplicaReads Replica { get; }

    /// <summary>False while the tenant file loads: changes then are the starting state, not writes.</summary>
    public bool Loaded { get; private set; }

    public void FinishLoading() => Loaded = true;

    public object Gate { get; } = new();
    public string TenantId { get; }
    public List<UserState> Users { get; } = new();
    public List<GroupState> Groups { get; } = new();
    public Dictionary<Guid, SkuState> Skus { get; } = new();
    public List<SkuState> SkuOrder { get; } = new();
    public List<JsonObject> Subscriptions { get; } = new();
    public long LicenseWrites { get; private set; }
    public int UsersWithMultipleLicenseWrites { get; private set; }
    public int UsersEverUnlicensed => usersEverUnlicensed.Count;

    public void AddSku(SkuState sku)
    {
        Skus.Add(sku.SkuId, sku);
        SkuOrder.Add(sku);
        usersBySku[sku.SkuId] = new SortedSet<int>();
    }

    /// <summary>
    /// Adds a SKU, or redefines one the tenant has (an in-process test changing a subscription). The seats its holders
    /// use are added to <see cref="SkuState.Consumed"/> as given, which counts seats held outside this tenant's users.
    /// </summary>
    public void PutSku(SkuState sku)
    {
        if (usersBySku.TryGetValue(sku.SkuId, out var holders))
        {
            SkuOrder[SkuOrder.FindIndex(s => s.SkuId == sku.SkuId)] = sku;
        }
        else
        {
            holders = new SortedSet<int>(Users.Where(u => ActiveSkus(u.Assignments).Contains(sku.SkuId)).Select(u => u.Ordinal));
            usersBySku[sku.SkuId] = holders;
            SkuOrder.Add(sku);
        }

        Skus[sku.SkuId] = sku;
        sku.Consumed += holders.Count;
    }

    public void AddUser(UserState user)
    {
        if (user.Ordinal != Users.Count)
        {
            throw new InvalidOperationException("Users must be added in ordinal order.");
        }

        if (!usersById.TryAdd(user.Id, user) || !usersByUpn.TryAdd(user.UserPrincipalName, user))
        {
            throw new InvalidOperationException($"Duplicate user id or userPrincipalName: {user.Id} {user.UserPrincipalName}.");
        }

        Users.Add(user);
        IndexProxyAddresses(user);
        var assignments = user.Assignments;
        user.Assignments = Array.Empty<LicenseAssignment>();
        ReplaceAssignments(user, assignments);
    }

    public void AddGroup(GroupState group)
    {
        groupsById.Add(group.Id, group);
        Groups.Add(group);
    }

    /// <summary>Deletes a group that holds no licenses (Entra requires them removed first); its members leave it.</summary>
    public void RemoveGroup(GroupState group)
    {
        if (group.Licenses.Length > 0)
        {
            throw new InvalidOperationException($"Group {group.Id} still has licenses; they must be removed before it is deleted.");
        }

        groupsById.Remove(group.Id);
        Groups.Remove(group);
        foreach (var ordinal in group.MemberOrdinals)
        {
            Users[ordinal].GroupIds.Remove(group.Id);
        }
    }

    public UserState? FindUser(string key)
    {
        if (Guid.TryParse(key, out var id))
        {
            return usersById.GetValueOrDefault(id);
        }

        if (usersByUpn.TryGetValue(key, out var user))
        {
            return user;
        }

        // OData escapes an apostrophe inside a key literal by doubling it; accept that form too.
        return key.Contains("''", StringComparison.Ordinal) ? usersByUpn.GetValueOrDefault(key.Replace("''", "'")) : null;
    }

    public UserState? FindUser(Guid id) => usersById.GetValueOrDefault(id);

    public GroupState? FindGroup(string key) =>
        Guid.TryParse(key, out var id) ? groupsById.GetValueOrDefault(id) : null;

    public SortedSet<int>? UsersHolding(Guid skuId) => usersBySku.GetValueOrDefault(skuId);

    public static HashSet<Guid> ActiveSkus(IEnumerable<LicenseAssignment> assignments) =>
        assignments.Where(a => a.IsActive).Select(a => a.SkuId).ToHashSet();

    /// <summary>The one place a user's licenses change: keeps seat counts, the SKU index and the invariants in step.</summary>
    public void ReplaceAssignments(UserState user, LicenseAssignment[] next)
    {
        var before = ActiveSkus(user.Assignments);
        var after = ActiveSkus(next);
        var now = DateTimeOffset.UtcNow;
        foreach (var skuId in before.Where(s => !after.Contains(s)))
        {
            if (Skus.TryGetValue(skuId, out var sku))
            {
                if (Loaded)
                {
                    Replica.ConsumedChanging(sku, sku.Consumed, now);
                }

                sku.Consumed--;
                usersBySku[skuId].Remove(user.Ordinal);
            }
        }

        foreach (var skuId in after.Where(s => !before.Contains(s)))
        {
            if (Skus.TryGetValue(skuId, out var sku))
            {
                if (Loaded)
                {
                    Replica.ConsumedChanging(sku, sku.Consumed, now);
                }

                sku.Consumed++;
                usersBySku[skuId].Add(user.Ordinal);
            }
        }

        if (before.Count > 0 && after.Count == 0)
        {
            usersEverUnlicensed.Add(user.Ordinal);
        }

        if (Loaded)
        {
            Replica.BeforeWrite(user, now);
        }

        user.Assignments = next;
    }

    /// <summary>Call before changing a user's properties (PATCH), so replicas can lag behind the change.</summary>
    public void BeforePropertyWrite(UserState user)
    {
        Replica.BeforeWrite(user, DateTimeOffset.UtcNow);
        UnindexProxyAddresses(user);
    }

    /// <summary>Call after changing a user's properties.</summary>
    public void AfterPropertyWrite(UserState user) => IndexProxyAddresses(user);

    /// <summary>Whether another user already holds one of this user's proxy addresses (Exchange would refuse the mailbox).</summary>
    public bool ProxyAddressTaken(UserState user) =>
        ProxyAddresses(user).Any(address => usersByProxyAddress.TryGetValue(address, out var owners) && owners.Any(o => o != user.Ordinal));

    private void IndexProxyAddresses(UserState user)
    {
        foreach (var address in ProxyAddresses(user))
        {
            if (!usersByProxyAddress.TryGetValue(address, out var owners))
            {
                usersByProxyAddress[address] = owners = new HashSet<int>();
            }

            owners.Add(user.Ordinal);
        }
    }

    private void UnindexProxyAddresses(UserState user)
    {
        foreach (var address in ProxyAddresses(user))
        {
            if (usersByProxyAddress.TryGetValue(address, out var owners))
            {
                owners.Remove(user.Ordinal);
            }
        }
    }

    /// <summary>proxyAddresses ("SMTP:a@b", "smtp:c@d") without the prefix, as compared for uniqueness.</summary>
    private static IEnumerable<string> ProxyAddresses(UserState user)
    {
        var node = user.Extra?.FirstOrDefault(p => string.Equals(p.Key, "proxyAddresses", StringComparison.OrdinalIgnoreCase)).Value;
        return node is JsonArray addresses
            ? addresses.Select(a => a?.ToString() ?? string.Empty)
                .Select(a => a.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? a[5..] : a)
                .Where(a => a.Length > 0)
            : Enumerable.Empty<string>();
    }

    /// <summary>Records a successful user assignLicense that changed the user's licenses.</summary>
    public void RecordLicenseWrite(UserState user)
    {
        if (licenseWritesByUser.Length < Users.Count)
        {
            Array.Resize(ref licenseWritesByUser, Users.Count);
        }

        LicenseWrites++;
        if (++licenseWritesByUser[user.Ordinal] == 2)
        {
            UsersWithMultipleLicenseWrites++;
        }
    }

    public int LicenseWritesOf(UserState user) =>
        user.Ordinal < licenseWritesByUser.Length ? licenseWritesByUser[user.Ordinal] : 0;

    public IEnumerable<(UserState User, int Count)> UsersWithLicenseWrites()
    {
        for (var i = 0; i < licenseWritesByUser.Length; i++)
        {
            if (licenseWritesByUser[i] > 0)
            {
                yield return (Users[i], licenseWritesByUser[i]);
            }
        }
    }

    public IEnumerable<Guid> EverUnlicensedUserIds() => usersEverUnlicensed.Select(o => Users[o].Id);
}
