using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// Peak memory of Move-UserLicense streaming N users vs M users, each in a fresh pwsh. The write quota is lifted and
/// latency is zero so the runs take seconds; memory, not speed, is measured. Every user of the tenant is streamed
/// (E4 holders and the group-licensed ones, which are reported Skipped), the small run being the first M of them.
/// </summary>
public sealed class MemoryProbe
{
    private const string Unlimited = "1000000000/150";
    private readonly BenchmarkOptions options;
    private readonly StrategyExecutor executor;

    public MemoryProbe(BenchmarkOptions options, StrategyExecutor executor)
    {
        this.options = options;
        this.executor = executor;
    }

    public async Task<MemoryCheck> MeasureAsync(CancellationToken cancellationToken)
    {
        var settings = new SimulatorSettings
        {
            Users = options.MemoryLargeUsers,
            WriteLimit = Unlimited,
            TenantWriteLimit = Unlimited,
            TimeScale = 1,
            LatencyMs = 0,
            Seed = options.Seed,
        };
        Console.WriteLine($"Memory: starting the simulator ({settings.Describe()})");
        var simulator = await BenchmarkSimulator.StartAsync(options.SimulatorDll, settings, Path.Combine(options.OutputDirectory, "simulator-memory.log"), cancellationToken).ConfigureAwait(false);
        await using (simulator.ConfigureAwait(false))
        {
            var tenant = await simulator.TenantSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var launcher = new E4UpgradeLauncher(options.PwshDll, options.ModulePath);
            var small = await RunAsync(launcher, "memory-small", tenant.Users.Take(options.MemorySmallUsers).ToList(), tenant, simulator, cancellationToken).ConfigureAwait(false);
            var large = await RunAsync(launcher, "memory-large", tenant.Users, tenant, simulator, cancellationToken).ConfigureAwait(false);
            return new MemoryCheck { Mode = "moving, quota lifted", Settings = settings.Describe(), Small = small, Large = large };
        }
    }

    private async Task<MemoryRun> RunAsync(E4UpgradeLauncher launcher, string name, System.Collections.Generic.IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Memory: Move-UserLicense streaming {users.Count:N0} users");
        var run = await executor.RunAsync(launcher, name, users, tenant, simulator, options.OutputDirectory, TimeSpan.FromSeconds(options.StrategyTimeoutSeconds), score: false, cancellationToken).ConfigureAwait(false);
        var result = new MemoryRun
        {
            Users = users.Count,
            PeakMemoryMB = Math.Round(run.Summary.PeakMemoryKb / 1024.0, 1),
            Seconds = Math.Round(run.Summary.Seconds, 1),
            Reported = run.Summary.Reported,
            Moved = run.Summary.Moved,
            Skipped = run.Summary.Skipped,
            Failed = run.Summary.Failed,
        };
        Console.WriteLine($"  {result.Seconds:0.0} s, {result.Reported:N0} results ({result.Moved:N0} moved), peak {result.PeakMemoryMB:0.0} MB");
        return result;
    }
}
