namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>Counters the tenant model keeps (read and written inside the tenant's gate; a reset starts a new tenant).</summary>
internal sealed class ModelCounters
{
    /// <summary>Reads answered with an object's state from before its latest write.</summary>
    public long ReadsStale { get; set; }

    /// <summary>Licenses refused for a service-plan rule: direct assignLicense 400s, and group members put in DependencyViolation or MutuallyExclusiveViolation.</summary>
    public long DependencyViolations { get; set; }

    /// <summary>Group members whose licenses the background group processing evaluated.</summary>
    public long GroupMembersProcessed { get; set; }
}
