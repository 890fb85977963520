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

    public long Requests => Interlocked.Read(ref requests);
    public long BatchItems => Interlocked.Read(ref batchItems);
    public long Writes => Interlocked.Read(ref writes);
    public long Throttled => Interlocked.Read(ref throttled);
    public long Faults => Interlocked.Read(ref faults);
    public long DroppedConnections => Interlocked.Read(ref droppedConnections);
    public long Unauthorized => Interlocked.Read(ref unauthorized);

    public void CountRequest() => Interlocked.Increment(ref requests);
    public void CountBatchItem() => Interlocked.Increment(ref batchItems);
    public void CountWrite() => Interlocked.Increment(ref writes);
    public void CountThrottled() => Interlocked.Increment(ref throttled);
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
    }
}
