using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// "run": for each profile (realistic, then ideal) one simulator with Graph's default write limits under a time scale,
/// and E4Upgrade and the two baselines each on a fresh copy of the same tenant, each within a time budget; then the
/// memory probe; then the scale probe (a 100,000-user tenant: start, full listing, eligibility); then results.json,
/// memory.json, scale.json, results.md and the verdicts.
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

        var executor = new StrategyExecutor();
        var throughput = new List<ThroughputResult>();
        var plan = Plan().ToList();
        if (options.Runs(BenchmarkSections.Throughput) && plan.Count > 0)
        {
            foreach (var settings in options.Throughput)
            {
                throughput.Add(await RunStrategiesAsync(settings, plan, executor, cancellationToken).ConfigureAwait(false));
            }
        }

        // A memory or scale run that fails or runs out of time is reported as not measured, with the reason; the
        // throughput results are written all the same.
        var failures = new List<string>();
        MemoryCheck? memory = null;
        if (options.MemoryLargeUsers > 0 && options.Runs(BenchmarkSections.Memory))
        {
            memory = await Section("Memory", () => new MemoryProbe(options, executor).MeasureAsync(cancellationToken), failures).ConfigureAwait(false);
        }

        ScaleCheck? scale = null;
        if (options.ScaleUsers > 0 && options.Runs(BenchmarkSections.Scale))
        {
            scale = await Section("Scale", () => new ScaleProbe(options).MeasureAsync(cancellationToken), failures).ConfigureAwait(false);
        }

        GroupCheck? groups = null;
        if (options.Runs(BenchmarkSections.Groups))
        {
            groups = await Section("Groups", () => new GroupProbe(options).MeasureAsync(cancellationToken), failures).ConfigureAwait(false);
        }

        SandboxCheck? sandbox = null;
        if (options.SandboxUsers > 0 && options.Runs(BenchmarkSections.Sandbox))
        {
            sandbox = await Section("Sandbox", () => new SandboxProbe(options).MeasureAsync(cancellationToken), failures).ConfigureAwait(false);
        }

        var report = new BenchmarkReport
        {
            Groups = groups,
            StartedUtc = startedUtc,
            TotalSeconds = total.Elapsed.TotalSeconds,
            Throughput = throughput,
            Memory = memory,
            MemoryTarget = TargetCheck.Memory(memory),
            Scale = scale,
            Failures = failures,
            Notes = BenchmarkNotes.All(options),
        };
        var writer = new ReportWriter(options.OutputDirectory);
        await writer.WriteAsync(report, cancellationToken).ConfigureAwait(false);

        foreach (var result in throughput)
        {
            Console.WriteLine();
            Console.WriteLine($"Profile {result.Settings.Profile}:");
            Console.Write(ReportWriter.Table(result.Rows));
            foreach (var check in result.Targets)
            {
                Console.WriteLine($"{check.Verdict,-8} {check.Target}: {check.Measured}");
            }
        }

        Console.WriteLine();
        foreach (var check in new[] { report.MemoryTarget }.Concat(scale?.Targets() ?? Array.Empty<TargetCheck>()))
        {
            Console.WriteLine($"{check.Verdict,-8} {check.Target}: {check.Measured}");
        }

        if (groups is not null)
        {
            Console.WriteLine();
            Console.WriteLine("Groups:");
            Console.Write(GroupCheck.Table(groups.Rows));
        }

        if (sandbox is not null)
        {
            var check = sandbox.Target();
            Console.WriteLine($"{check.Verdict,-8} {check.Target}: {check.Measured}");
        }

        foreach (var failure in failures)
        {
            Console.WriteLine($"NOT MEASURED {failure}");
        }

        Console.WriteLine();
        Console.WriteLine($"Wrote {writer.ResultsJson}, {writer.ResultsMarkdown}{(memory is null ? "" : ", " + writer.MemoryJson)}{(scale is null ? "" : ", " + writer.ScaleJson)}{(groups is null ? "" : ", " + writer.GroupsJson)} in {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private async Task<ThroughputResult> RunStrategiesAsync(SimulatorSettings settings, IReadOnlyList<(IStrategyLauncher Launcher, int Sample)> plan, StrategyExecutor executor, CancellationToken cancellationToken)
    {
        var ceiling = new CeilingModel(settings);
        var rows = new List<ResultRow>();
        Console.WriteLine($"Throughput ({settings.Profile}): starting the simulator ({settings.Describe()})");
        var simulator = await BenchmarkSimulator.StartAsync(options.SimulatorDll, settings, Path.Combine(options.OutputDirectory, $"simulator-{settings.Profile}.log"), cancellationToken).ConfigureAwait(false);
        await using (simulator.ConfigureAwait(false))
        {
            var tenant = await simulator.TenantSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var allHolders = tenant.DirectSourceHolders();
            var holders = allHolders.Take(options.UsersToMove).ToList();
            var rowBuilder = new RowBuilder(ceiling, settings.Profile, holders);
            Console.WriteLine(FormattableString.Invariant(
                $"Tenant: {tenant.Users.Count:N0} users, {allHolders.Count:N0} hold E4 directly; moving the first {holders.Count:N0} of them, {rowBuilder.TenantWritesNeeded:N0} can be moved (the rest have no usage location); ideal {rowBuilder.TenantIdealSeconds:0.0} s at the ceiling left to us ({ceiling.SustainedWritesPerSecond:0.#} writes/s)"));
            foreach (var (launcher, sample) in plan)
            {
                var users = sample > 0 && sample < holders.Count ? holders.Take(sample).ToList() : holders;
                var sampled = users.Count < holders.Count;
                var budget = rowBuilder.Budget(users, sampled);
                Console.WriteLine($"{launcher.Name}: {users.Count:N0} users{(sampled ? " (sample)" : "")}, budget {budget.TotalSeconds:0} s");
                var run = await executor.RunAsync(launcher, $"{settings.Profile}-{launcher.Name}", users, tenant, simulator, options.OutputDirectory, budget, score: true, cancellationToken).ConfigureAwait(false);
                var row = rowBuilder.Build(run, sampled);
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant(
                    $"  {(row.Finished ? "" : "DID NOT FINISH: ")}{row.Seconds:0.0} s, {row.UsersPerSecond:0.0} users/s, ceiling ratio {row.CeilingRatio:0.000}, write 429s {row.Throttled:N0} ({row.ThrottledPercent:0.00}%), early retries {row.EarlyRetries:N0}, moved {row.Moved:N0}, reported not moved {row.ReportedNotMoved:N0}, lost {row.Lost?.ToString() ?? "n/a"}, ever unlicensed {row.UsersEverUnlicensed}, Failed but on the target {row.FailedButOnTarget}, stale reads {row.ReadsStale:N0}, peak {row.PeakMemoryMB:0} MB"));
            }

            var description = FormattableString.Invariant(
                $"Ceiling left to the strategy: the first {ceiling.Burst:N0} writes at once, then {ceiling.SustainedWritesPerSecond:0.#} writes/s{(settings.BackgroundWritesPerSecond > 0 ? $" (other apps take {settings.BackgroundWritesPerSecond:0.##} writes/s x {settings.TimeScale} of the tenant-wide bucket)" : "")}; {rowBuilder.TenantWritesNeeded:N0} writes need at least {rowBuilder.TenantIdealSeconds:0.0} s.");
            return new ThroughputResult(settings, description, rows, TargetCheck.Evaluate(settings.Profile, rows));
        }
    }

    private static async Task<T?> Section<T>(string name, Func<Task<T>> measure, List<string> failures)
        where T : class
    {
        try
        {
            return await measure().ConfigureAwait(false);
        }
        catch (BenchmarkFailedException ex)
        {
            Console.Error.WriteLine($"{name}: not measured: {ex.Message}");
            failures.Add($"{name}: {ex.Message.Split(Environment.NewLine)[0]}");
            return null;
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
}

/// <summary>One profile's throughput runs: its simulator settings, the ceiling, one row per strategy, the targets.</summary>
public sealed record ThroughputResult(SimulatorSettings Settings, string CeilingDescription, IReadOnlyList<ResultRow> Rows, IReadOnlyList<TargetCheck> Targets);
