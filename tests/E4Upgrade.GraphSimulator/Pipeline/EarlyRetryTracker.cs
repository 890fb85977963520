using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using E4Upgrade.GraphSimulator.Graph;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Counts early retries: after a 429 (for any reason) to a call, the same token sending the same call again (method,
/// path and query compared case-insensitively; a $batch item by its own method and url, whether it comes back alone
/// or in another batch) more than <see cref="Tolerance"/> before the Retry-After that 429 carried had passed, as sent
/// and measured on the simulator's clock from the moment the 429 was made. Only the first request after each 429
/// is judged; another 429 starts a new wait. Calls to other paths in the meantime are not retries and do not count.
/// </summary>
internal sealed class EarlyRetryTracker
{
    /// <summary>Timers may fire a little early (Node's setTimeout by up to 1 ms), so arriving within this is on time.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(2);

    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, long> notBefore = new(StringComparer.OrdinalIgnoreCase);
    private long earlyRetries;

    public long EarlyRetries => Interlocked.Read(ref earlyRetries);

    /// <summary>A call arrived: judge it if it follows a 429 to the same call from the same token.</summary>
    public void Observe(Caller caller, GraphRequest request)
    {
        if (notBefore.IsEmpty || !notBefore.TryRemove(Key(caller, request), out var due))
        {
            return;
        }

        if (Stopwatch.GetTimestamp() < due - (long)(Tolerance.TotalSeconds * Stopwatch.Frequency))
        {
            Interlocked.Increment(ref earlyRetries);
        }
    }

    /// <summary>A 429 was answered to this call, asking the caller to wait <paramref name="retryAfterSeconds"/> (as sent).</summary>
    public void Remember(Caller caller, GraphRequest request, double retryAfterSeconds)
    {
        var now = Stopwatch.GetTimestamp();
        if (notBefore.Count >= MaxRemembered)
        {
            foreach (var stale in notBefore.Where(e => e.Value < now).Select(e => e.Key).ToList())
            {
                notBefore.TryRemove(stale, out _);
            }
        }

        notBefore[Key(caller, request)] = now + (long)(retryAfterSeconds * Stopwatch.Frequency);
    }

    public void Reset()
    {
        notBefore.Clear();
        Interlocked.Exchange(ref earlyRetries, 0);
    }

    private static string Key(Caller caller, GraphRequest request) =>
        $"{caller.Token}\n{request.Method} /{string.Join('/', request.Segments)}?{string.Join('&', request.RawQuery.Select(q => q.Key + "=" + q.Value))}";
}
