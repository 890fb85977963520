using System.Runtime.CompilerServices;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Tests.Upgrade;

internal sealed class FakeUser
{
    public string Id { get; init; } = Guid.NewGuid().ToString();
    public string Upn { get; init; } = "";
    public string? UsageLocation { get; set; } = "US";
    public Dictionary<Guid, List<Guid>> Direct { get; } = new();
    public List<FakeInherited> Inherited { get; } = new();
}

internal sealed class FakeInherited
{
    public string GroupId { get; init; } = "";
    public Guid SkuId { get; init; }
    public List<Guid> Disabled { get; init; } = new();
    public string State { get; set; } = "Active";
    public string? Error { get; set; }
}

internal sealed class FakeGroup
{
    public string Id { get; init; } = Guid.NewGuid().ToString();
    public string Name { get; init; } = "";
    public Dictionary<Guid, List<Guid>> Licenses { get; } = new();
    public List<string> MemberIds { get; } = new();
}

/// <summary>
/// An in-memory tenant behind ILicensingGateway with Graph's rules for assignLicense (usage location, seats,
/// inherited licenses) and group licensing processed after a few member listings, as Entra does asynchronously.
/// </summary>
internal sealed class FakeTenant : ILicensingGateway
{
    private readonly object _gate = new();

    public List<SkuInfo> Skus { get; } = new();
    public List<SubscriptionInfo> Subscriptions { get; } = new();
    public Dictionary<string, FakeUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, FakeGroup> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Member listings of a group before Entra has applied a group change to its members.</summary>
    public int GroupProcessingPolls { get; set; } = 1;
    /// <summary>Return an outcome to replace the write (fault injection); null lets it through.</summary>
    public Func<WriteRequest, WriteOutcome?>? Intercept { get; set; }
    public Func<string, WriteOutcome?>? InterceptGroup { get; set; }
    /// <summary>How many group swaps land but answer 504, as if the answer were lost.</summary>
    public int GroupAnswersToLose { get; set; }
    /// <summary>Called after each write landed (e.g. to cancel a run mid-way).</summary>
    public Action<WriteRequest>? AfterWrite { get; set; }

    public Dictionary<string, int> LicenseWrites { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int GroupWrites { get; private set; }
    public int UserListings { get; private set; }
    public int UserReads { get; private set; }
    public int TotalWrites { get; private set; }

    private readonly Dictionary<string, (LicenseChange Change, int PollsLeft)> _pendingGroupChanges = new(StringComparer.OrdinalIgnoreCase);

    public FakeUser AddUser(string upn, params Guid[] directSkus)
    {
        var user = new FakeUser { Upn = upn };
        foreach (var sku in directSkus) user.Direct[sku] = new List<Guid>();
        Users[user.Id] = user;
        return user;
    }

    public FakeGroup AddGroup(string name, Guid sku, IEnumerable<FakeUser> members, params Guid[] disabled)
    {
        var group = new FakeGroup { Name = name };
        group.Licenses[sku] = disabled.ToList();
        foreach (var m in members)
        {
            group.MemberIds.Add(m.Id);
            m.Inherited.Add(new FakeInherited { GroupId = group.Id, SkuId = sku, Disabled = disabled.ToList() });
        }

        Groups[group.Id] = group;
        return group;
    }

    public int Consumed(Guid skuId)
    {
        lock (_gate) return Users.Values.Count(u => Holds(u, skuId));
    }

    public bool Holds(FakeUser u, Guid skuId) => u.Direct.ContainsKey(skuId) || u.Inherited.Any(i => i.SkuId == skuId && i.Error == null);

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<SkuInfo> copy = Skus.Select(s => new SkuInfo
            {
                SkuId = s.SkuId,
                SkuPartNumber = s.SkuPartNumber,
                CapabilityStatus = s.CapabilityStatus,
                AppliesTo = s.AppliesTo,
                ConsumedUnits = Users.Values.Count(u => Holds(u, s.SkuId)) + s.ConsumedUnits,
                EnabledUnits = s.EnabledUnits,
                SuspendedUnits = s.SuspendedUnits,
                WarningUnits = s.WarningUnits,
                LockedOutUnits = s.LockedOutUnits,
                ServicePlans = s.ServicePlans,
                SubscriptionIds = s.SubscriptionIds,
            }).ToList();
            return Task.FromResult(copy);
        }
    }

    public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SubscriptionInfo>>(Subscriptions.ToList());

    public async IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<UserLicenses> page;
        lock (_gate)
        {
            UserListings++;
            page = Users.Values.Where(u => u.Direct.ContainsKey(skuId) || u.Inherited.Any(i => i.SkuId == skuId)).Select(View).ToList();
        }

        foreach (var u in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return u;
        }

        AfterUserListing?.Invoke();
        await Task.CompletedTask;
    }

    /// <summary>Runs once a user listing was read to its end: the tenant changing behind a listing.</summary>
    public Action? AfterUserListing { get; set; }

    public async IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<GroupLicenses> groups;
        lock (_gate) groups = Groups.Values.Where(g => g.Licenses.ContainsKey(skuId)).Select(View).ToList();
        foreach (var g in groups) yield return g;
        await Task.CompletedTask;
    }

    public Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(Groups.TryGetValue(groupId, out var g) ? View(g) : null);
    }

    public async IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<UserLicenses> members;
        lock (_gate)
        {
            ProcessGroup(groupId);
            members = Groups[groupId].MemberIds.Select(id => View(Users[id])).ToList();
        }

        foreach (var m in members) yield return m;
        await Task.CompletedTask;
    }

    public Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            UserReads += idsOrUserPrincipalNames.Count;
            IReadOnlyList<UserLookup> result = idsOrUserPrincipalNames.Select(key =>
            {
                var user = Find(key);
                return new UserLookup { Key = key, User = user == null ? null : View(user), NotFound = user == null };
            }).ToList();
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
    {
        var outcomes = new List<WriteOutcome>();
        foreach (var w in writes)
        {
            var injected = Intercept?.Invoke(w);
            if (injected != null)
            {
                injected.RequestId = w.RequestId;
                outcomes.Add(injected);
                continue;
            }

            WriteOutcome outcome;
            lock (_gate) outcome = Apply(w);
            outcomes.Add(outcome);
            if (outcome.Succeeded) AfterWrite?.Invoke(w);
        }

        return Task.FromResult<IReadOnlyList<WriteOutcome>>(outcomes);
    }

    public Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken)
    {
        var injected = InterceptGroup?.Invoke(groupId);
        if (injected != null) return Task.FromResult(injected);
        lock (_gate)
        {
            GroupWrites++;
            if (!Groups.TryGetValue(groupId, out var group)) return Task.FromResult(Error(404, "Request_ResourceNotFound", "no group"));
            foreach (var add in change.Add) group.Licenses[add.SkuId] = add.DisabledPlans.ToList();
            foreach (var remove in change.Remove) group.Licenses.Remove(remove);
            _pendingGroupChanges[groupId] = (change, GroupProcessingPolls);
            if (GroupAnswersToLose > 0)
            {
                // The swap landed, but its answer never arrived (a gateway timeout on the way back).
                GroupAnswersToLose--;
                return Task.FromResult(Error(504, "GatewayTimeout", "no answer"));
            }

            return Task.FromResult(new WriteOutcome { Status = 202 });
        }
    }

    private void ProcessGroup(string groupId)
    {
        if (!_pendingGroupChanges.TryGetValue(groupId, out var pending)) return;
        if (pending.PollsLeft > 0 && GroupProcessingPolls > 0)
        {
            _pendingGroupChanges[groupId] = (pending.Change, pending.PollsLeft - 1);
            return;
        }

        _pendingGroupChanges.Remove(groupId);
        foreach (var user in Groups[groupId].MemberIds.Select(id => Users[id]))
        {
            user.Inherited.RemoveAll(i => i.GroupId == groupId && pending.Change.Remove.Contains(i.SkuId));
            foreach (var add in pending.Change.Add)
            {
                user.Inherited.RemoveAll(i => i.GroupId == groupId && i.SkuId == add.SkuId);
                var hasSeat = Holds(user, add.SkuId) || Users.Values.Count(u => Holds(u, add.SkuId)) < Sku(add.SkuId)!.EnabledUnits;
                user.Inherited.Add(new FakeInherited
                {
                    GroupId = groupId,
                    SkuId = add.SkuId,
                    Disabled = add.DisabledPlans.ToList(),
                    State = hasSeat ? "Active" : "Error",
                    Error = hasSeat ? null : "CountViolation",
                });
            }
        }
    }

    private WriteOutcome Apply(WriteRequest w)
    {
        TotalWrites++;
        var user = Find(w.UserId);
        if (user == null) return Error(404, "Request_ResourceNotFound", $"Resource '{w.UserId}' does not exist.");
        if (w.Kind == WriteKind.SetUsageLocation)
        {
            user.UsageLocation = w.UsageLocation;
            return new WriteOutcome { RequestId = w.RequestId, Status = 204 };
        }

        var change = w.Change!;
        if (change.Add.Count > 0 && string.IsNullOrEmpty(user.UsageLocation))
            return Error(400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.", w);
        foreach (var add in change.Add)
        {
            var sku = Sku(add.SkuId);
            if (sku == null) return Error(400, "Request_BadRequest", $"License {add.SkuId} does not correspond to a valid company License.", w);
            if (!Holds(user, add.SkuId) && Users.Values.Count(u => Holds(u, add.SkuId)) >= sku.EnabledUnits)
                return Error(400, "Request_BadRequest", $"Subscription with SKU {add.SkuId} does not have any available licenses.", w);
        }

        foreach (var remove in change.Remove)
        {
            if (!user.Direct.ContainsKey(remove))
            {
                return user.Inherited.Any(i => i.SkuId == remove)
                    ? Error(400, "Request_BadRequest", "User license is inherited from a group membership and it cannot be removed directly from the user.", w)
                    : Error(400, "Request_BadRequest", "User does not have a corresponding license.", w);
            }
        }

        foreach (var add in change.Add) user.Direct[add.SkuId] = add.DisabledPlans.ToList();
        foreach (var remove in change.Remove) user.Direct.Remove(remove);
        LicenseWrites[user.Id] = LicenseWrites.TryGetValue(user.Id, out var n) ? n + 1 : 1;
        return new WriteOutcome { RequestId = w.RequestId, Status = 200, User = View(user) };
    }

    private static WriteOutcome Error(int status, string code, string message, WriteRequest? w = null) =>
        new() { RequestId = w?.RequestId ?? "", Status = status, ErrorCode = code, ErrorMessage = message };

    private SkuInfo? Sku(Guid id) => Skus.FirstOrDefault(s => s.SkuId == id);

    private FakeUser? Find(string key) =>
        Users.TryGetValue(key, out var byId) ? byId : Users.Values.FirstOrDefault(u => string.Equals(u.Upn, key, StringComparison.OrdinalIgnoreCase));

    public UserLicenses View(FakeUser u)
    {
        var assigned = u.Direct.Select(d => new AssignedSku(d.Key, d.Value.ToList()))
            .Concat(u.Inherited.Where(i => i.Error == null && !u.Direct.ContainsKey(i.SkuId)).GroupBy(i => i.SkuId).Select(g => new AssignedSku(g.Key, g.First().Disabled.ToList())))
            .ToList();
        var states = u.Direct.Select(d => new LicenseAssignment { SkuId = d.Key, State = "Active", Error = "None", DisabledPlans = d.Value.ToList() })
            .Concat(u.Inherited.Select(i => new LicenseAssignment { SkuId = i.SkuId, AssignedByGroup = i.GroupId, State = i.State, Error = i.Error ?? "None", DisabledPlans = i.Disabled.ToList() }))
            .ToList();
        return new UserLicenses { Id = u.Id, UserPrincipalName = u.Upn, UsageLocation = u.UsageLocation, AssignedLicenses = assigned, AssignmentStates = states };
    }

    private static GroupLicenses View(FakeGroup g) => new()
    {
        Id = g.Id,
        DisplayName = g.Name,
        AssignedLicenses = g.Licenses.Select(l => new AssignedSku(l.Key, l.Value.ToList())).ToList(),
    };
}
