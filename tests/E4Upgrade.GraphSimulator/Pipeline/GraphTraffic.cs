using System;
using System.Diagnostics;
using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Whether a client is still talking to /v1.0: requests being handled now and how long nothing has arrived or
/// finished. Tests wait on this to show that a stopped client sends nothing more (README: "Waiting for quiet").
/// Not reset by /_simulator/reset: requests in flight then still finish.
/// </summary>
internal sealed class GraphTraffic
{
    private int inFlight;
    private long lastActivity = Stopwatch.GetTimestamp();

    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Real milliseconds since a request last arrived or finished; 0 while one is being handled.</summary>
    public long IdleMilliseconds
    {
        get
        {
            var since = Stopwatch.GetElapsedTime(Interlocked.Read(ref lastActivity));
            return InFlight > 0 ? 0 : (long)since.TotalMilliseconds;
        }
    }

    /// <summary>Marks a request as in flight until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        Interlocked.Increment(ref inFlight);
        Interlocked.Exchange(ref lastActivity, Stopwatch.GetTimestamp());
        return new Scope(this);
    }

    private void End()
    {
        Interlocked.Exchange(ref lastActivity, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref inFlight);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly GraphTraffic traffic;

        public Scope(GraphTraffic traffic)
        {
            this.traffic = traffic;
        }

        public void Dispose() => traffic.End();
    }
}
