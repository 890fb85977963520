using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Benchmark.Simulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>How to read results.md: what each figure is and what the runs leave out.</summary>
public static class BenchmarkNotes
{
    public static IReadOnlyList<string> All(BenchmarkOptions options)
    {
        var scale = options.Throughput.Select(s => s.TimeScale).DefaultIfEmpty(10).First();
        return new[]
        {
            "Each strategy runs in its own fresh process on a fresh copy of the same generated tenant (POST /_simulator/reset restores the tenant, the counters and a full write quota). Input: the first N users holding E4 (ENTERPRISEWITHSCAL) directly, moved to SPE_E5 (the tenant is generated 10% larger because one user in twenty holds E4 only through a group); E4Upgrade gets their UPNs piped from a file, the baselines their ids (as from Get-MgUser). One in a hundred has no usage location and cannot be moved: every strategy must report those failed.",
            "Realistic: the simulator's --profile realistic (replication lag median 1 s, 99th percentile 10 s of Graph time: a read just after a write may show the state before it; the licensing rules; INTUNE_O365 PendingActivation on the targets; slow group processing) plus refused writes charged (--refused-write-cost 1: a 429 takes a token anyway, as Graph's guidance says early retries count), other apps writing at 10% of the tenant-wide rate (--background-writes), 0.5% spurious 429s under every limit and the resource-unit quota for reads (--resource-unit-limit auto). Ideal: every realism knob off, refused writes free: the table of earlier runs, kept for comparison.",
            "Seconds: from the start of the move (Connect-E4Upgrade; for the baselines, building their requests) to the last result, timed inside the strategy's process (process start and module import excluded; `processSeconds` in results.json includes them). out/bench/runs/<profile>-<strategy>/timeline.csv has the simulator's write and 429 counters every 0.5 s.",
            "Ceiling ratio: ideal time / measured time, where the ideal is the share of the ceiling left to the strategy: the simulator's limit model (token buckets that start full and refill at the write limit), minus what the background load takes from the tenant-wide bucket. The first W writes may go at once, each further one waits for the refill; one write per user who can be moved. A sampled run is compared by rate: its ideal is its share of the whole tenant's ideal time.",
            "Time budget: a strategy may run twice the ideal time of its input plus 30 s (at least 120 s). One still running then is stopped and gets a row \"did not finish\" with the users the tenant shows moved by then; its ratio compares the ideal time of those users with the budget.",
            "Writes answered 429: the simulator's writesThrottled over the run (whatever the cause: write quota, spurious); the percentage is of all write attempts (admitted + 429). earlyRetries: calls sent again before the Retry-After of the 429 they follow. Stale reads: reads answered with a state from before the object's latest write (the lag was exercised).",
            "Lost: users neither moved (tenant read back: holds the target, not E4) nor reported Failed/Skipped by the strategy. Ever unlicensed: the simulator's count of users who at some moment held no license. Failed but on the target: users reported Failed whom the tenant shows holding the target (a false failure).",
            "Peak memory: VmHWM of the strategy's process at its end (for E4Upgrade a whole pwsh with the module loaded; for the baselines a .NET console app with the Graph SDK); not known for a run stopped at its budget.",
            "PerUserLoop runs on a sample because it is bound by one round trip per user, far below the quota: its rate on a sample is its rate on the whole tenant.",
            "The baselines send the target with no disabled plans, as the usual scripts do: users whose E4 had plans turned off get every target plan. E4Upgrade carries disabled plans across (and, under the licensing rules, disables the plans whose base service the user did not have); that difference is not in this table.",
            FormattableString.Invariant($"Time is scaled by {scale}: the limit windows, Retry-After, the replication lag and the latencies are divided by it, so rates are {scale} times Graph's real ones and seconds 1/{scale} of real ones. Client-side fixed costs (connecting, the pacer's ramp-up, which run in real seconds) weigh {scale} times more than they would against Graph, so a ceiling ratio here is a lower bound."),
        };
    }
}
