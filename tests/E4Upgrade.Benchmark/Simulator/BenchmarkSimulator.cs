using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>
/// The Graph simulator as the benchmark runs it: a process of its own (SimulatorHost.StartProcessAsync, the shared way
/// to start it from C#), so its start can be timed and its CPU and memory stay out of the strategies' figures.
/// </summary>
public static class BenchmarkSimulator
{
    public static async Task<RunningSimulator> StartAsync(string simulatorDll, SimulatorSettings settings, string logFile, CancellationToken cancellationToken)
    {
        var token = "bench-" + Guid.NewGuid().ToString("n");
        try
        {
            return await SimulatorHost.StartProcessAsync(simulatorDll, settings.Arguments(token).ToArray(), logFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or TimeoutException or ArgumentException)
        {
            throw new BenchmarkFailedException($"Could not start the Graph simulator: {ex.Message}");
        }
    }

    /// <summary>http://127.0.0.1:PORT/v1.0, as the strategies are given it.</summary>
    public static string GraphUrl(this RunningSimulator simulator) => simulator.GraphBaseUrl.ToString();

    public static async Task<TenantSnapshot> TenantSnapshotAsync(this RunningSimulator simulator, CancellationToken cancellationToken)
    {
        using var tenant = await simulator.GetTenantAsync(cancellationToken).ConfigureAwait(false);
        return TenantSnapshot.From(tenant.RootElement);
    }
}
