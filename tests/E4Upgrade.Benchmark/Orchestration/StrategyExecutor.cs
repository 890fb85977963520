using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// Runs one strategy on a fresh copy of the tenant (POST /_simulator/reset: starting tenant, zero counters, full
/// write quota) and collects what it did: its own summary, the simulator's counters, and the tenant afterwards.
/// A strategy still running at its time budget is stopped and measured as it stands ("did not finish"): how many users
/// the tenant shows moved by then. Only a strategy that crashes makes the benchmark fail.
/// </summary>
public sealed class StrategyExecutor
{
    public async Task<StrategyMeasurement> RunAsync(IStrategyLauncher launcher, string runName, IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, string outputDirectory, TimeSpan budget, bool score, CancellationToken cancellationToken)
    {
        var files = new StrategyFiles(outputDirectory, runName);
        await simulator.ResetAsync(cancellationToken).ConfigureAwait(false);
        var timeline = StatsTimeline.Start(simulator, TimeSpan.FromMilliseconds(500));
        await using (timeline.ConfigureAwait(false))
        {
            using var process = launcher.Start(users, tenant, simulator, files);
            var exitCode = await process.WaitAsync(budget, cancellationToken).ConfigureAwait(false);
            await timeline.WriteCsvAsync(files.Timeline, cancellationToken).ConfigureAwait(false);
            var finished = exitCode is not null;
            if (finished && (exitCode != 0 || !File.Exists(files.Summary)))
            {
                throw new BenchmarkFailedException($"{runName} failed (exit code {exitCode}); log: {files.Log}{Environment.NewLine}{process.Tail(30)}");
            }

            if (!finished && !score)
            {
                throw new BenchmarkFailedException($"{runName} did not finish within {budget.TotalSeconds:0} s; log: {files.Log}{Environment.NewLine}{process.Tail(20)}");
            }

            // A run stopped at its budget wrote no summary: its time is the budget, its memory unknown.
            var summary = finished
                ? await RunSummary.ReadAsync(files.Summary, cancellationToken).ConfigureAwait(false)
                : new RunSummary { Seconds = process.WallTime.TotalSeconds };
            var stats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            StrategyScore? result = null;
            if (score)
            {
                var after = await simulator.TenantSnapshotAsync(cancellationToken).ConfigureAwait(false);
                result = StrategyScore.Compute(users, after, OutcomeFile.Read(files.Outcomes));
            }

            return new StrategyMeasurement(launcher.Name, users, summary, process.WallTime.TotalSeconds, stats, result, finished, budget.TotalSeconds);
        }
    }
}

/// <summary>
/// What one strategy run produced; the simulator's counters start at zero for each run. Score: null when not asked
/// for. Finished: false when the run was stopped at its budget (seconds).
/// </summary>
public sealed record StrategyMeasurement(string Strategy, IReadOnlyList<TenantUser> Users, RunSummary Summary, double ProcessSeconds, SimulatorStats Stats, StrategyScore? Score, bool Finished, double BudgetSeconds);
