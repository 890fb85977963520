using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// "run": one simulator with Graph's default write limits under a time scale; E4Upgrade and the two baselines each on
/// a fresh copy of the same tenant; then the memory probe; then the scale probe (a 100,000-user tenant: start, full
/// listing, eligibility); then results.json, memory.json, scale.json, results.md and the verdicts.
/// Exit code 0 whether or not targets are met (it measures); non-zero only when it could not measure.
/// </summary>
public sealed class BenchmarkRunner
{
    private readonly BenchmarkOptions options;

    public BenchmarkRunner(BenchmarkOptions options)
    {
        this.options = options;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedUtc = DateTime.UtcNow;
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        var runs = Path.Combine(options.OutputDirectory, "runs");
        if (Directory.Exists(runs))
        {
            Directory.Delete(runs, recursive: true);
        }

        var executor = new StrategyExecutor(TimeSpan.FromSeconds(options.StrategyTimeoutSeconds));
        var settings = options.Throughput;
        var ceiling = new CeilingModel(settings);
        var rows = new List<ResultRow>();
        var plan = options.Runs(BenchmarkSections.Throughput) ? Plan().ToList() : new List<(IStrategyLauncher Launcher, int Sample)>();
        RowBuilder? rowBuilder = null;
        if (plan.Count > 0)
        {
            rowBuilder = await RunStrategiesAsync(plan, executor, ceiling, rows, cancellationToken).ConfigureAwait(false);
        }

        MemoryCheck? memory = null;
        if (options.MemoryLargeUsers > 0 && options.Runs(BenchmarkSections.Memory))
        {
            memory = await new MemoryProbe(options, executor).MeasureAsync(cancellationToken).ConfigureAwait(false);
        }

        ScaleCheck? scale = null;
        if (options.ScaleUsers > 0 && options.Runs(BenchmarkSections.Scale))
        {
            scale = await new ScaleProbe(options).MeasureAsync(cancellationToken).ConfigureAwait(false);
        }

        var targets = TargetCheck.Evaluate(rows, memory);
        var report = new BenchmarkReport
        {
            StartedUtc = startedUtc,
            TotalSeconds = total.Elapsed.TotalSeconds,
            SimulatorSettings = settings.Describe(),
            CeilingDescription = FormattableString.Invariant(
                $"Ceiling: the first {settings.WriteLimit.Split('/')[0]} writes at once, then {ceiling.SustainedWritesPerSecond:0.#} writes/s; {rowBuilder?.TenantWritesNeeded ?? 0:N0} writes need at least {rowBuilder?.TenantIdealSeconds ?? 0:0.0} s."),
            Rows = rows,
            Memory = memory,
            Targets = targets,
            Scale = scale,
            Notes = Notes(settings),
        };
        var writer = new ReportWriter(options.OutputDirectory);
        await writer.WriteAsync(report, cancellationToken).ConfigureAwait(false);

        Console.WriteLine();
        Console.Write(ReportWriter.Table(rows));
        Console.WriteLine();
        foreach (var check in targets)
        {
            Console.WriteLine($"{check.Verdict,-8} {check.Target}: {check.Measured}");
        }

        foreach (var check in scale?.Targets() ?? Array.Empty<TargetCheck>())
        {
            Console.WriteLine($"{check.Verdict,-8} {check.Target}: {check.Measured}");
        }

        Console.WriteLine();
        Console.WriteLine($"Wrote {writer.ResultsJson}, {writer.ResultsMarkdown}{(memory is null ? "" : ", " + writer.MemoryJson)}{(scale is null ? "" : ", " + writer.ScaleJson)} in {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private async Task<RowBuilder> RunStrategiesAsync(IReadOnlyList<(IStrategyLauncher Launcher, int Sample)> plan, StrategyExecutor executor, CeilingModel ceiling, List<ResultRow> rows, CancellationToken cancellationToken)
    {
        var settings = options.Throughput;
        Console.WriteLine($"Throughput: starting the simulator ({settings.Describe()})");
        var simulator = await RunningSimulator.StartAsync(options.SimulatorDll, settings, Path.Combine(options.OutputDirectory, "simulator.log"), cancellationToken).ConfigureAwait(false);
        await using (simulator.ConfigureAwait(false))
        {
            var tenant = await simulator.Client.TenantAsync(cancellationToken).ConfigureAwait(false);
            var allHolders = tenant.DirectSourceHolders();
            var holders = allHolders.Take(options.UsersToMove).ToList();
            var rowBuilder = new RowBuilder(ceiling, holders);
            Console.WriteLine(FormattableString.Invariant(
                $"Tenant: {tenant.Users.Count:N0} users, {allHolders.Count:N0} hold E4 directly; moving the first {holders.Count:N0} of them, {rowBuilder.TenantWritesNeeded:N0} can be moved (the rest have no usage location); ideal {rowBuilder.TenantIdealSeconds:0.0} s at the ceiling"));
            foreach (var (launcher, sample) in plan)
            {
                var users = sample > 0 && sample < holders.Count ? holders.Take(sample).ToList() : holders;
                var sampled = users.Count < holders.Count;
                Console.WriteLine($"{launcher.Name}: {users.Count:N0} users{(sampled ? " (sample)" : "")}");
                var run = await executor.RunAsync(launcher, launcher.Name, users, tenant, simulator, options.OutputDirectory, score: true, cancellationToken).ConfigureAwait(false);
                var row = rowBuilder.Build(run, sampled);
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant(
                    $"  {row.Seconds:0.0} s, {row.UsersPerSecond:0.0} users/s, ceiling ratio {row.CeilingRatio:0.000}, 429s {row.Throttled:N0} ({row.ThrottledPercent:0.00}%), moved {row.Moved:N0}, reported not moved {row.ReportedNotMoved:N0}, lost {row.Lost}, ever unlicensed {row.UsersEverUnlicensed}, peak {row.PeakMemoryMB:0} MB"));
            }

            return rowBuilder;
        }
    }

    private IEnumerable<(IStrategyLauncher Launcher, int Sample)> Plan()
    {
        var all = new (IStrategyLauncher Launcher, int Sample)[]
        {
            (new E4UpgradeLauncher(options.PwshDll, options.ModulePath), 0),
            (new BaselineLauncher(SdkBatchSequential.Name), options.BatchSample),
            (new BaselineLauncher(PerUserLoop.Name), options.LoopSample),
        };
        return all.Where(s => options.Strategies.Contains(s.Launcher.Name));
    }

    private static IReadOnlyList<string> Notes(SimulatorSettings settings) => new[]
    {
        "Each strategy runs in its own fresh process on a fresh copy of the same generated tenant (POST /_simulator/reset restores the tenant, the counters and a full write quota). Input: the first N users holding E4 (ENTERPRISEWITHSCAL) directly, moved to SPE_E5 (the tenant is generated 10% larger because one user in twenty holds E4 only through a group); E4Upgrade gets their UPNs piped from a file, the baselines their ids (as from Get-MgUser). One in a hundred has no usage location and cannot be moved: every strategy must report those failed.",
        "Seconds: from the start of the move (Connect-E4Upgrade; for the baselines, building their requests) to the last result, timed inside the strategy's process (process start and module import excluded; `processSeconds` in results.json includes them). out/bench/runs/<strategy>/timeline.csv has the simulator's write and 429 counters every 0.5 s.",
        "Ceiling ratio: ideal time / measured time. The ideal comes from the simulator's limit model (token buckets that start full and refill at the write limit): the first W writes may go at once, each further one waits for the refill; one write per user who can be moved (users without a usage location cannot be). A sampled run is compared by rate: its ideal is its share of the whole tenant's ideal time.",
        "Writes answered 429: the simulator's count over the run; the percentage is of all write attempts (admitted + 429).",
        "Lost: users neither moved (tenant read back: holds the target, not E4) nor reported Failed/Skipped by the strategy. Ever unlicensed: the simulator's count of users who at some moment held no license.",
        "Peak memory: VmHWM of the strategy's process at its end (for E4Upgrade a whole pwsh with the module loaded; for the baselines a .NET console app with the Graph SDK).",
        "PerUserLoop runs on a sample because it is bound by one round trip per user, far below the quota: it is never throttled, so its rate on a sample is its rate on the whole tenant.",
        "The baselines send the target with no disabled plans, as the usual scripts do: users whose E4 had plans turned off get every target plan. E4Upgrade carries disabled plans across; that difference is not in this table.",
        FormattableString.Invariant($"Time is scaled by {settings.TimeScale}: the write limits' windows, Retry-After and the latencies are divided by it, so rates are {settings.TimeScale} times Graph's real ones and seconds 1/{settings.TimeScale} of real ones. Client-side fixed costs (connecting, the pacer's ramp-up, which run in real seconds) weigh {settings.TimeScale} times more than they would against Graph, so a ceiling ratio here is a lower bound."),
        "In the simulator a write refused with 429 costs nothing and brings no penalty, so a script that keeps sending while throttled (SdkBatchSequential posts its remaining batches regardless, then retries after the longest Retry-After) loses no time here. Against Graph, whose throttling guidance says that retrying before the Retry-After still counts against the limit, such traffic can only do worse: its speed here is a best case, its 429 count what it would send.",
    };
}
