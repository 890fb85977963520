using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// Runs one strategy on a fresh copy of the tenant (POST /_simulator/reset: starting tenant, zero counters, full
/// write quota) and collects what it did: its own summary, the simulator's counters, and the tenant afterwards.
/// </summary>
public sealed class StrategyExecutor
{
    private readonly TimeSpan timeout;

    public StrategyExecutor(TimeSpan timeout)
    {
        this.timeout = timeout;
    }

    public async Task<StrategyMeasurement> RunAsync(IStrategyLauncher launcher, string runName, IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, string outputDirectory, bool score, CancellationToken cancellationToken)
    {
        var files = new StrategyFiles(outputDirectory, runName);
        await simulator.Client.ResetAsync(cancellationToken).ConfigureAwait(false);
        var timeline = StatsTimeline.Start(simulator.Client, TimeSpan.FromMilliseconds(500));
        await using (timeline.ConfigureAwait(false))
        {
            using var process = launcher.Start(users, tenant, simulator, files);
            var exitCode = await process.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            await timeline.WriteCsvAsync(files.Timeline, cancellationToken).ConfigureAwait(false);
            if (exitCode is null)
            {
                throw new BenchmarkFailedException($"{runName} did not finish within {timeout.TotalSeconds:0} s; log: {files.Log}{Environment.NewLine}{process.Tail(20)}");
            }

            if (exitCode != 0 || !File.Exists(files.Summary))
            {
                throw new BenchmarkFailedException($"{runName} failed (exit code {exitCode}); log: {files.Log}{Environment.NewLine}{process.Tail(30)}");
            }

            var summary = await RunSummary.ReadAsync(files.Summary, cancellationToken).ConfigureAwait(false);
            var stats = await simulator.Client.StatsAsync(cancellationToken).ConfigureAwait(false);
            StrategyScore? result = null;
            if (score)
            {
                var after = await simulator.Client.TenantAsync(cancellationToken).ConfigureAwait(false);
                result = StrategyScore.Compute(users, after, OutcomeFile.Read(files.Outcomes));
            }

            return new StrategyMeasurement(launcher.Name, users, summary, process.WallTime.TotalSeconds, stats, result);
        }
    }
}

/// <summary>What one strategy run produced; the simulator's counters start at zero for each run. Score: null when not asked for.</summary>
public sealed record StrategyMeasurement(string Strategy, IReadOnlyList<TenantUser> Users, RunSummary Summary, double ProcessSeconds, SimulatorStats Stats, StrategyScore? Score);
