using System.Collections;
using System.Collections.ObjectModel;
using E4Upgrade.Engine.Graph;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.Engine.Tests;

/// <summary>
/// A user of the <see cref="SimulatedTenant"/>: a live view of the simulator's own user, never a copy. Reading it shows
/// the model's state; changing it (Direct, UsageLocation, WithDirect, WithGroup) changes the model's user, so seats and
/// group inheritance stay counted by the model's rules.
/// </summary>
internal sealed class FakeUser
{
    private readonly SimulatedTenant _tenant;

    public FakeUser(SimulatedTenant tenant, UserState state)
    {
        _tenant = tenant;
        State = state;
    }

    internal UserState State { get; }

    public string Id => State.Id.ToString();

    public string UserPrincipalName => State.UserPrincipalName;

    /// <summary>The same as <see cref="UserPrincipalName"/> (the upgrade tests' shorter name).</summary>
    public string Upn => UserPrincipalName;

    public string? UsageLocation
    {
        get => _tenant.Locked(() => State.UsageLocation);
        set => _tenant.SetUsageLocation(State, value);
    }

    /// <summary>Directly assigned SKUs and their disabled plans; changing them changes the model's user.</summary>
    public DirectLicenses Direct => new(_tenant, State);

    /// <summary>Active licenses inherited from groups: SKU to the (first) group it comes from.</summary>
    public IReadOnlyDictionary<Guid, string> Groups => _tenant.Locked(() => State.Assignments
        .Where(a => a.GroupId is not null && a.IsActive)
        .GroupBy(a => a.SkuId)
        .ToDictionary(g => g.Key, g => g.First().GroupId!.Value.ToString()));

    /// <summary>
    /// Every license inherited from a group, active or in error. Adding one states what the user shows as a starting
    /// state (e.g. an error left by a group the test does not model); adding a membership is <see cref="WithGroup"/>.
    /// </summary>
    public IList<FakeInherited> Inherited => new InheritedLicenses(_tenant, State);

    /// <summary>Whether a seat of the SKU is counted for the user (an active assignment, direct or inherited).</summary>
    public bool Holds(Guid skuId) => _tenant.Locked(() => State.Assignments.Any(a => a.IsActive && a.SkuId == skuId));

    public FakeUser WithDirect(Guid skuId, params Guid[] disabledPlans)
    {
        _tenant.SetDirect(State, skuId, disabledPlans);
        return this;
    }

    /// <summary>Makes the user a member of group <paramref name="groupId"/> (a GUID), which gets the SKU if it lacks it.</summary>
    public FakeUser WithGroup(Guid skuId, string groupId)
    {
        _tenant.Inherit(State, groupId, skuId);
        return this;
    }

    /// <summary>The user as a read through Graph shows it.</summary>
    public UserLicenses Snapshot() => _tenant.Snapshot(State);
}

/// <summary>A license a user inherits from a group, as licenseAssignmentStates shows it.</summary>
internal sealed class FakeInherited
{
    public static FakeInherited Of(E4Upgrade.GraphSimulator.Tenant.LicenseAssignment a) => new()
    {
        GroupId = a.GroupId!.Value.ToString(),
        SkuId = a.SkuId,
        Disabled = a.DisabledPlans,
        State = a.IsActive ? "Active" : "Error",
        Error = a.Error,
    };

    public string GroupId { get; init; } = "";
    public Guid SkuId { get; init; }
    public IReadOnlyList<Guid> Disabled { get; init; } = Array.Empty<Guid>();
    public string State { get; init; } = "Active";
    public string? Error { get; init; }
}

/// <summary>A user's inherited assignments, read from and written to the model's user.</summary>
internal sealed class InheritedLicenses : Collection<FakeInherited>
{
    private readonly SimulatedTenant _tenant;
    private readonly UserState _user;

    public InheritedLicenses(SimulatedTenant tenant, UserState user)
        : base(tenant.Locked(() => user.Assignments.Where(a => a.GroupId is not null).Select(FakeInherited.Of).ToList()))
    {
        _tenant = tenant;
        _user = user;
    }

    protected override void InsertItem(int index, FakeInherited item)
    {
        base.InsertItem(index, item);
        _tenant.SetInherited(_user, item.GroupId, item.SkuId, item.Disabled, item.Error);
    }

    protected override void RemoveItem(int index)
    {
        var item = this[index];
        base.RemoveItem(index);
        _tenant.RemoveInherited(_user, item.GroupId, item.SkuId);
    }

    protected override void SetItem(int index, FakeInherited item)
    {
        RemoveItem(index);
        InsertItem(index, item);
    }

    protected override void ClearItems()
    {
        while (Count > 0)
        {
            RemoveItem(Count - 1);
        }
    }
}

/// <summary>A user's direct assignments, read from and written to the model's user.</summary>
internal sealed class DirectLicenses : IEnumerable<KeyValuePair<Guid, IList<Guid>>>
{
    private readonly SimulatedTenant _tenant;
    private readonly UserState _user;

    public DirectLicenses(SimulatedTenant tenant, UserState user)
    {
        _tenant = tenant;
        _user = user;
    }

    /// <summary>The disabled plans of a directly held SKU; adding to or clearing the list changes the assignment.</summary>
    public IList<Guid> this[Guid skuId]
    {
        get => new PlanList(_tenant, _user, skuId, Current().TryGetValue(skuId, out var plans) ? plans : throw new KeyNotFoundException($"The user holds no direct {skuId}."));
        set => _tenant.SetDirect(_user, skuId, value.ToList());
    }

    public IReadOnlyList<Guid> Keys => Current().Keys.ToList();

    public int Count => Current().Count;

    public bool ContainsKey(Guid skuId) => Current().ContainsKey(skuId);

    public bool Remove(Guid skuId)
    {
        var held = ContainsKey(skuId);
        _tenant.SetDirect(_user, skuId, null);
        return held;
    }

    public IEnumerator<KeyValuePair<Guid, IList<Guid>>> GetEnumerator() =>
        Current().Select(d => KeyValuePair.Create(d.Key, (IList<Guid>)new PlanList(_tenant, _user, d.Key, d.Value))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<Guid, Guid[]> Current() => _tenant.Locked(() => _user.Assignments
        .Where(a => a.GroupId is null)
        .ToDictionary(a => a.SkuId, a => a.DisabledPlans));

    /// <summary>Disabled plans of one direct assignment; every change is written back to the model's user.</summary>
    private sealed class PlanList : Collection<Guid>
    {
        private readonly SimulatedTenant _tenant;
        private readonly UserState _user;
        private readonly Guid _skuId;

        public PlanList(SimulatedTenant tenant, UserState user, Guid skuId, IEnumerable<Guid> plans)
            : base(plans.ToList())
        {
            _tenant = tenant;
            _user = user;
            _skuId = skuId;
        }

        protected override void InsertItem(int index, Guid item)
        {
            base.InsertItem(index, item);
            WriteBack();
        }

        protected override void SetItem(int index, Guid item)
        {
            base.SetItem(index, item);
            WriteBack();
        }

        protected override void RemoveItem(int index)
        {
            base.RemoveItem(index);
            WriteBack();
        }

        protected override void ClearItems()
        {
            base.ClearItems();
            WriteBack();
        }

        private void WriteBack() => _tenant.SetDirect(_user, _skuId, Items.ToList());
    }
}
