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

    public int MemberListings { get; private set; }

    /// <summary>The member as the tenant holds them now (before a swap: the "before" view).</summary>
    public UserLicenses Snapshot(FakeUser user) => _tenant.View(user);

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken) => _tenant.GetSubscribedSkusAsync(cancellationToken);

    public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) => _tenant.GetSubscriptionsAsync(cancellationToken);

    public IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, CancellationToken cancellationToken) => _tenant.ListUsersWithSkuAsync(skuId, cancellationToken);

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
