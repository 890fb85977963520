using System;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>Owns the live tenant and rebuilds it from the starting definition on reset.</summary>
internal sealed class TenantHolder
{
    private readonly Func<TenantState> build;
    private volatile TenantState current;

    public TenantHolder(Func<TenantState> build)
    {
        this.build = build;
        current = build();
    }

    public TenantState Current => current;

    public void Reset() => current = build();
}
