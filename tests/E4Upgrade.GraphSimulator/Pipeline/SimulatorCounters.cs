using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>Request-level counters for /_simulator/stats (license counters live in the tenant).</summary>
internal sealed class SimulatorCounters
{
    private long requests;
    private long batchItems;
    private long writes;
    private long throttled;
    private long faults;
    private long droppedConnections;
    private long unauthorized;
    private long resourceUnitThrottled;
    private long refusedWritesCharged;
    private long spuriousThrottled;
    private long writesThrottled;
    private long landedThrottled;

    public long Requests => Interlocked.Read(ref requests);
    public long BatchItems => Interlocked.Read(ref batchItems);
    public long Writes => Interlocked.Read(ref writes);
    public long Throttled => Interlocked.Read(ref throttled);
    public long Faults => Interlocked.Read(ref faults);
    public long DroppedConnections => Interlocked.Read(ref droppedConnections);
    public long Unauthorized => Interlocked.Read(ref unauthorized);
    public long ResourceUnitThrottled => Interlocked.Read(ref resourceUnitThrottled);
    public long RefusedWritesCharged => Interlocked.Read(ref refusedWritesCharged);
    public long SpuriousThrottled => Interlocked.Read(ref spuriousThrottled);
    public long WritesThrottled => Interlocked.Read(ref writesThrottled);
    public long LandedThrottled => Interlocked.Read(ref landedThrottled);

    /// <summary>A user write applied and then answered 429 (--landed-429-rate); it counts as a throttled write too.</summary>
    public void CountLandedThrottle()
    {
        Interlocked.Increment(ref throttled);
        Interlocked.Increment(ref writesThrottled);
        Interlocked.Increment(ref landedThrottled);
    }

    public void CountRequest() => Interlocked.Increment(ref requests);
    public void CountBatchItem() => Interlocked.Increment(ref batchItems);
    public void CountWrite() => Interlocked.Increment(ref writes);
    /// <summary>A call refused by a quota: whether it was a write, refused by the resource-unit quota, and charged.</summary>
    public void CountThrottled(bool isWrite, bool byResourceUnits, bool chargedWrite)
    {
        Interlocked.Increment(ref throttled);
        if (isWrite)
        {
            Interlocked.Increment(ref writesThrottled);
        }

        if (byResourceUnits)
        {
            Interlocked.Increment(ref resourceUnitThrottled);
        }

        if (chargedWrite)
        {
            Interlocked.Increment(ref refusedWritesCharged);
        }
    }

    /// <summary>A 429 under every limit (--spurious-429-rate); it counts as throttled too.</summary>
    public void CountSpuriousThrottle(bool isWrite)
    {
        Interlocked.Increment(ref throttled);
        if (isWrite)
        {
            Interlocked.Increment(ref writesThrottled);
        }

        Interlocked.Increment(ref spuriousThrottled);
    }

    public void CountFault() => Interlocked.Increment(ref faults);
    public void CountDroppedConnection() => Interlocked.Increment(ref droppedConnections);
    public void CountUnauthorized() => Interlocked.Increment(ref unauthorized);

    public void Reset()
    {
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref batchItems, 0);
        Interlocked.Exchange(ref writes, 0);
        Interlocked.Exchange(ref throttled, 0);
        Interlocked.Exchange(ref faults, 0);
        Interlocked.Exchange(ref droppedConnections, 0);
        Interlocked.Exchange(ref unauthorized, 0);
        Interlocked.Exchange(ref resourceUnitThrottled, 0);
        Interlocked.Exchange(ref refusedWritesCharged, 0);
        Interlocked.Exchange(ref spuriousThrottled, 0);
        Interlocked.Exchange(ref landedThrottled, 0);
        Interlocked.Exchange(ref writesThrottled, 0);
    }
}
