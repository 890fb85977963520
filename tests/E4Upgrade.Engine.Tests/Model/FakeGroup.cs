using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.Engine.Tests;

/// <summary>A group of the <see cref="SimulatedTenant"/>: a live view of the simulator's own group.</summary>
internal sealed class FakeGroup
{
    private readonly SimulatedTenant _tenant;

    public FakeGroup(SimulatedTenant tenant, GroupState state)
    {
        _tenant = tenant;
        State = state;
    }

    internal GroupState State { get; }

    public string Id => State.Id.ToString();

    public string Name => _tenant.Locked(() => State.DisplayName ?? "");

    /// <summary>The group's licenses (SKU to disabled plans).</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> Licenses =>
        _tenant.Locked(() => State.Licenses.ToDictionary(l => l.SkuId, l => (IReadOnlyList<Guid>)l.DisabledPlans));

    public IReadOnlyList<string> MemberIds => _tenant.Locked(() => State.MemberOrdinals.Select(o => _tenant.Users[o].Id).ToList());
}

/// <summary>The tenant's groups by id; removing one deletes it from the tenant.</summary>
internal sealed class FakeGroups
{
    private readonly SimulatedTenant _tenant;

    public FakeGroups(SimulatedTenant tenant) => _tenant = tenant;

    public IReadOnlyList<FakeGroup> Values => _tenant.Groups;

    public IReadOnlyList<string> Keys => Values.Select(g => g.Id).ToList();

    public int Count => Values.Count;

    public FakeGroup this[string id] => Values.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase)) ?? throw new KeyNotFoundException($"No group {id}.");

    public bool ContainsKey(string id) => Values.Any(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Deletes the group (see <see cref="SimulatedTenant.DeleteGroup"/>).</summary>
    public bool Remove(string id) => _tenant.DeleteGroup(id);
}
