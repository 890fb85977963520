using System.Runtime.CompilerServices;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// ILicensingGateway over the <see cref="SimulatedTenant"/> (the simulator's own tenant and licensing model, answering
/// as it does over HTTP; group license changes reach the members after <see cref="GroupProcessingPolls"/> member
/// listings, as Entra applies them asynchronously). On top of it: fault injection and counts of the calls.
/// </summary>
internal sealed class FakeTenant : ILicensingGateway
{
    private readonly object _gate = new();
    private readonly SimulatedTenant _tenant;

    public FakeTenant()
    {
        _tenant = new SimulatedTenant(Skus) { GroupProcessingPolls = 1 };
    }

    /// <summary>
    /// The tenant's SKUs; a test may add or change them. A SKU's ConsumedUnits are seats held by users this tenant does
    /// not list (Graph's count may lag behind its holders); the model adds the seats of the users it holds.
    /// </summary>
    public List<SkuInfo> Skus { get; } = new();
    public List<SubscriptionInfo> Subscriptions { get; } = new();

    /// <summary>The users by id (a view of the model's users).</summary>
    public Dictionary<string, FakeUser> Users => _tenant.Users.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>The groups by id (a view of the model's groups; removing one deletes it).</summary>
    public FakeGroups Groups => new(_tenant);

    /// <summary>Member listings of a group before Entra has applied a group change to its members.</summary>
    public int GroupProcessingPolls
    {
        get => _tenant.GroupProcessingPolls;
        set => _tenant.GroupProcessingPolls = value;
    }

    /// <summary>Return an outcome to replace the write (fault injection); null lets it through.</summary>
    public Func<WriteRequest, WriteOutcome?>? Intercept { get; set; }
    public Func<string, WriteOutcome?>? InterceptGroup { get; set; }
    /// <summary>How many group swaps land but answer 504, as if the answer were lost.</summary>
    public int GroupAnswersToLose { get; set; }
    /// <summary>Called after each write landed (e.g. to cancel a run mid-way).</summary>
    public Action<WriteRequest>? AfterWrite { get; set; }
    /// <summary>Runs once a user listing was read to its end: the tenant changing behind a listing.</summary>
    public Action? AfterUserListing { get; set; }

    /// <summary>Per user, the successful assignLicense calls that changed the user's licenses (the model's count).</summary>
    public Dictionary<string, int> LicenseWrites => _tenant.LicenseWrites();
    /// <summary>Users who once held licenses and were left with none (the model's own record).</summary>
    public HashSet<string> EverUnlicensed => _tenant.EverUnlicensed();
    /// <summary>Group assignLicense calls that reached the tenant.</summary>
    public int GroupWrites { get; private set; }
    public int UserListings { get; private set; }
    public int UserReads { get; private set; }
    /// <summary>User writes that reached the tenant (whatever it answered).</summary>
    public int TotalWrites { get; private set; }

    public FakeUser AddUser(string upn, params Guid[] directSkus)
    {
        var user = _tenant.AddUser(Guid.NewGuid().ToString(), upn, "US");
        foreach (var sku in directSkus)
        {
            user.WithDirect(sku);
        }

        return user;
    }

    /// <summary>A group holding the SKU (with these plans disabled) whose members inherit it as Entra decides.</summary>
    public FakeGroup AddGroup(string name, Guid sku, IEnumerable<FakeUser> members, params Guid[] disabled)
    {
        var group = _tenant.AddGroup(Guid.NewGuid().ToString(), name, sku, disabled);
        foreach (var member in members)
        {
            _tenant.Join(member.State, group.Id);
        }

        return group;
    }

    /// <summary>Seats of the SKU in use, as the model counts them (see <see cref="Skus"/>).</summary>
    public int Consumed(Guid skuId) => _tenant.ConsumedUnits(skuId);

    public bool Holds(FakeUser u, Guid skuId) => u.Holds(skuId);

    public UserLicenses View(FakeUser u) => u.Snapshot();

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken)
    {
        SubscribedSkuReads++;
        return Task.FromResult(_tenant.SubscribedSkus());
    }

    /// <summary>GET subscribedSkus calls so far.</summary>
    public int SubscribedSkuReads { get; private set; }

    public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SubscriptionInfo>>(Subscriptions.ToList());

    public async IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            UserListings++;
        }

        foreach (var u in _tenant.UsersWithSku(skuId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return u;
        }

        AfterUserListing?.Invoke();
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var g in _tenant.GroupsWithSku(skuId))
        {
            yield return g;
        }

        await Task.CompletedTask;
    }

    public Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken) => Task.FromResult(_tenant.ReadGroup(groupId));

    public async IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var m in _tenant.Members(groupId))
        {
            yield return m;
        }

        await Task.CompletedTask;
    }

    public Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            UserReads += idsOrUserPrincipalNames.Count;
        }

        return Task.FromResult<IReadOnlyList<UserLookup>>(idsOrUserPrincipalNames.Select(_tenant.ReadUser).ToList());
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

            lock (_gate)
            {
                TotalWrites++;
            }

            var outcome = _tenant.Write(w);
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
            var outcome = _tenant.AssignGroupLicense(groupId, change);
            if (outcome.Succeeded && GroupAnswersToLose > 0)
            {
                // The swap landed, but its answer never arrived (a gateway timeout on the way back).
                GroupAnswersToLose--;
                return Task.FromResult(new WriteOutcome { RequestId = groupId, Status = 504, ErrorCode = "GatewayTimeout", ErrorMessage = "no answer" });
            }

            return Task.FromResult(outcome);
        }
    }
}
