using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>The kinds of <c>--inject KIND=N</c>: fault injections a test asks for by count, so that it is deterministic.</summary>
public static class InjectedFaultKinds
{
    /// <summary>A user assignLicense that changes licenses is applied, then answered 504 GatewayTimeout (the answer is lost).</summary>
    public const string LostAnswer = "lost-answer";

    /// <summary>A user assignLicense that adds a SKU is answered 200, but the SKUs it adds are stored in state Error (error Other).</summary>
    public const string ErrorState = "error-state";

    /// <summary>A user assignLicense within the replication lag after a PATCH that set the usage location sees the usage location from before.</summary>
    public const string StaleUsageLocation = "stale-usage-location";

    /// <summary>A license group processing grants a member is recorded in state Disabled (no error, not in effect, no seat).</summary>
    public const string GroupMemberDisabled = "group-member-disabled";

    public static readonly IReadOnlyList<string> All = new[] { LostAnswer, ErrorState, StaleUsageLocation, GroupMemberDisabled };
}

/// <summary>
/// Counted fault injections (<c>--inject KIND=N</c>): the first N calls that qualify get the fault, later ones behave
/// normally. They are injections, not documented Graph behaviour (README: Faults); each is counted in
/// <c>injectedFaults</c>. Reset restores the starting counts.
/// </summary>
internal sealed class InjectedFaults
{
    private readonly IReadOnlyDictionary<string, int> start;
    private readonly Dictionary<string, int> left = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private long injected;

    public InjectedFaults(IReadOnlyDictionary<string, int> counts)
    {
        start = counts;
        Reset();
    }

    public long Injected => Interlocked.Read(ref injected);

    /// <summary>Whether a fault of this kind is still to come (look first, <see cref="Take"/> once the call qualifies).</summary>
    public bool Pending(string kind)
    {
        lock (gate)
        {
            return left.TryGetValue(kind, out var n) && n > 0;
        }
    }

    /// <summary>Uses one fault of this kind; false when none is left.</summary>
    public bool Take(string kind)
    {
        lock (gate)
        {
            if (!left.TryGetValue(kind, out var n) || n <= 0)
            {
                return false;
            }

            left[kind] = n - 1;
        }

        Interlocked.Increment(ref injected);
        return true;
    }

    public void Reset()
    {
        lock (gate)
        {
            left.Clear();
            foreach (var (kind, n) in start)
            {
                left[kind] = n;
            }
        }

        Interlocked.Exchange(ref injected, 0);
    }

    public static string Describe(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
}
