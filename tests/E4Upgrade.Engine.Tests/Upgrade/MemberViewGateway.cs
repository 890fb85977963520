using System.Runtime.CompilerServices;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// A gateway over a <see cref="FakeTenant"/> whose group member listings can show members otherwise than the tenant has
/// them: as they were before the swap (Entra has not reached them yet, or a stale read within the replication lag), or
/// in an error state an older read would show. Everything else goes straight to the tenant.
/// </summary>
internal sealed class MemberViewGateway : ILicensingGateway
{
    private readonly FakeTenant _tenant;

    public MemberViewGateway(FakeTenant tenant)
    {
        _tenant = tenant;
    }

    /// <summary>Given a member as the tenant has it, the member as the listing shows it (null: as the tenant has it).</summary>
    public Func<UserLicenses, UserLicenses?>? ListedAs { get; set; }

    /// <summary>
    /// Users the listing of a SKU's holders (eligibility's read of the E4 holders) answers as they were before a write,
    /// by id: listed as given even when they no longer hold the SKU (the filter answered from before the write).
    /// </summary>
    public IReadOnlyDictionary<string, UserLicenses> StaleUsers { get; set; } = new Dictionary<string, UserLicenses>();

    public int MemberListings { get; private set; }

    /// <summary>The member as the tenant holds them now (before a swap: the "before" view).</summary>
    public UserLicenses Snapshot(FakeUser user) => _tenant.View(user);

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken) => _tenant.GetSubscribedSkusAsync(cancellationToken);

    public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) => _tenant.GetSubscriptionsAsync(cancellationToken);

    public async IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var user in _tenant.ListUsersWithSkuAsync(skuId, cancellationToken))
        {
            listed.Add(user.Id);
            yield return StaleUsers.TryGetValue(user.Id, out var before) ? before : user;
        }

        foreach (var before in StaleUsers.Values.Where(u => !listed.Contains(u.Id) && u.AssignedLicenses.Any(a => a.SkuId == skuId)))
        {
            yield return before;
        }
    }

    public IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, CancellationToken cancellationToken) => _tenant.ListGroupsWithSkuAsync(skuId, cancellationToken);

    public Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken) => _tenant.GetGroupAsync(groupId, cancellationToken);

    public async IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        MemberListings++;
        await foreach (var member in _tenant.ListGroupMembersAsync(groupId, cancellationToken))
        {
            yield return ListedAs?.Invoke(member) ?? member;
        }
    }

    public Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken) =>
        _tenant.GetUsersAsync(idsOrUserPrincipalNames, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken) =>
        _tenant.SendWritesAsync(writes, cancellationToken);

    public Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken) =>
        _tenant.AssignGroupLicenseAsync(groupId, change, cancellationToken);
}
