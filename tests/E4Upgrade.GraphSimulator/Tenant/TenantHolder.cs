using System;

namespace E4Upgrade.GraphSimulator.Tenant;

/// <summary>Owns the live tenant and rebuilds it from the starting definition on reset.</summary>
internal sealed class TenantHolder
{
    private volatile Func<TenantState> build;
    private volatile TenantState current;

    public TenantHolder(Func<TenantState> build)
    {
        this.build = build;
        current = build();
    }

    public TenantState Current => current;

    public void Reset() => current = build();

    /// <summary>Makes another tenant the starting one (POST /_simulator/tenant); the next <see cref="Reset"/> loads it.</summary>
    public void StartWith(Func<TenantState> tenant) => build = tenant;
}
