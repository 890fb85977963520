using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Licensing;

/// <summary>
/// When Entra applies a group's license change to its members: <see cref="GroupLicenseProcessor"/> over time for the
/// served simulator; an in-process test may decide the moment itself. What each member then gets is always
/// <see cref="GroupLicenseInheritance"/>.
/// </summary>
internal interface IGroupLicenseScheduler
{
    /// <summary>Call inside the tenant's gate, right after the group's licenses changed.</summary>
    void Schedule(TenantState tenant, GroupState group);
}
