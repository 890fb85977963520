using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Tests.Pacing;

/// <summary>
/// The pacer against a model of Graph's write quota in virtual time (no real waiting): a token bucket of 3,000 writes
/// refilled at 3,000 per 150 s (scaled), x-ms-throttle-limit-percentage above 80 % used, 429 with Retry-After rounded
/// up to whole Graph seconds, as the simulator does. Checks the benchmark's targets for the pacing alone.
/// </summary>
public class PacerCeilingSimulationTests
{
    [Theory]
    [InlineData(20_000, 10.0, 300, 4)]
    [InlineData(20_000, 20.0, 300, 4)]
    [InlineData(6_000, 1.0, 800, 4)]
    [InlineData(20_000, 10.0, 50, 2)]
    [InlineData(20_000, 40.0, 300, 4)]
    public void Runs_near_the_write_ceiling_with_few_429s(int writes, double timeScale, double latencyMs, int batchesInFlight)
    {
        var run = Simulate(writes, timeScale, latencyMs, batchesInFlight, seed: 7);

        var ideal = Math.Max(0, writes - 3000) * 150.0 / 3000 / timeScale;
        var ratio = ideal / run.Seconds;
        Assert.True(ratio >= 0.95, $"ceiling ratio {ratio:F3} ({run.Seconds:F1} s vs ideal {ideal:F1} s)");
        Assert.True(run.Throttled < writes * 0.02, $"{run.Throttled} writes answered 429");
    }

    private static (double Seconds, int Throttled) Simulate(int total, double timeScale, double latencyMs, int batchesInFlight, int seed)
    {
        var clock = new ManualClock(autoAdvance: false);
        var settings = new PacerSettings { MaxBatchesInFlight = batchesInFlight };
        var pacer = new AdaptiveWritePacer(settings, clock);
        var graph = new TokenBucketModel(3000, 3000 / (150 / timeScale), timeScale);
        var random = new Random(seed);
        var inFlight = new List<(PacerTicket Ticket, TimeSpan DoneAt, List<WriteOutcome> Outcomes)>();
        var retries = new List<TimeSpan>();
        var fresh = total;
        var done = 0;
        var throttled = 0;
        while (done < total)
        {
            var now = clock.Now;
            var due = retries.Count(t => t <= now);
            TimeSpan? wakeAt = null;
            while (fresh + due > 0)
            {
                var decision = pacer.Acquire(fresh + due);
                if (decision.Ticket == null)
                {
                    wakeAt = decision.Wait.HasValue ? now + decision.Wait.Value : null;
                    break;
                }

                var n = decision.Ticket.Writes;
                var fromRetries = Math.Min(n, due);
                retries.Sort();
                retries.RemoveRange(0, fromRetries);
                due -= fromRetries;
                fresh -= n - fromRetries;
                var outcomes = Enumerable.Range(0, n).Select(_ => graph.Write(now)).ToList();
                var latency = TimeSpan.FromMilliseconds(latencyMs / timeScale * (0.5 + random.NextDouble()));
                inFlight.Add((decision.Ticket, now + latency, outcomes));
            }

            var next = new[] { wakeAt, inFlight.Count > 0 ? inFlight.Min(b => b.DoneAt) : null, retries.Count > 0 ? retries.Min() : null }
                .Where(t => t.HasValue).Select(t => t!.Value).DefaultIfEmpty(now).Min();
            Assert.True(next >= now);
            clock.Advance(next - now);
            foreach (var batch in inFlight.Where(b => b.DoneAt <= clock.Now).ToList())
            {
                inFlight.Remove(batch);
                pacer.Answered(batch.Ticket, batch.Outcomes);
                foreach (var outcome in batch.Outcomes)
                {
                    if (outcome.Status == 429)
                    {
                        throttled++;
                        retries.Add(clock.Now + outcome.RetryAfter!.Value);
                    }
                    else
                    {
                        done++;
                    }
                }
            }
        }

        return (clock.Now.TotalSeconds, throttled);
    }

    private sealed class TokenBucketModel
    {
        private readonly double _capacity;
        private readonly double _refillPerSecond;
        private readonly double _timeScale;
        private double _tokens;
        private TimeSpan _last;

        public TokenBucketModel(double capacity, double refillPerSecond, double timeScale)
        {
            _capacity = capacity;
            _tokens = capacity;
            _refillPerSecond = refillPerSecond;
            _timeScale = timeScale;
        }

        public WriteOutcome Write(TimeSpan now)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _last).TotalSeconds * _refillPerSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens--;
                var used = (_capacity - _tokens) / _capacity;
                return new WriteOutcome { Status = 200, ThrottleLimitPercentage = used > 0.8 ? Math.Round(used, 3) : null };
            }

            var graphSeconds = Math.Max(1, Math.Ceiling((1 - _tokens) / _refillPerSecond * _timeScale));
            return new WriteOutcome
            {
                Status = 429,
                ThrottleInformation = GraphResponseHeaders.WriteLimitExceeded,
                RetryAfter = TimeSpan.FromSeconds(graphSeconds / _timeScale),
                ThrottleLimitPercentage = Math.Min(1.8, Math.Round(((_capacity - _tokens) / _capacity) + (1 / _capacity), 3)),
            };
        }
    }
}
