using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>
/// Samples the simulator's counters while a strategy runs, so a miss can be explained: admitted writes, 429s and
/// license changes per interval, written as CSV (seconds, writes, writesThrottled, throttled, licenseWrites and their rates).
/// </summary>
public sealed class StatsTimeline : IAsyncDisposable
{
    private readonly RunningSimulator simulator;
    private readonly TimeSpan interval;
    private readonly List<Sample> samples = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task loop;

    private StatsTimeline(RunningSimulator simulator, TimeSpan interval)
    {
        this.simulator = simulator;
        this.interval = interval;
        loop = Task.Run(() => PollAsync(stop.Token));
    }

    public static StatsTimeline Start(RunningSimulator simulator, TimeSpan interval) => new(simulator, interval);

    public async Task WriteCsvAsync(string path, CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);
        var lines = new List<string> { "seconds,writes,writesThrottled,throttled,licenseWrites,writesPerSecond,writesThrottledPerSecond,throttledPerSecond,licenseWritesPerSecond" };
        Sample? previous = null;
        foreach (var sample in samples)
        {
            var dt = previous is null ? sample.Seconds : sample.Seconds - previous.Seconds;
            string Rate(long now, long before) => dt > 0 ? ((now - before) / dt).ToString("0.0", CultureInfo.InvariantCulture) : "0";
            lines.Add(string.Join(',',
                sample.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
                sample.Writes, sample.WritesThrottled, sample.Throttled, sample.LicenseWrites,
                Rate(sample.Writes, previous?.Writes ?? 0), Rate(sample.WritesThrottled, previous?.WritesThrottled ?? 0), Rate(sample.Throttled, previous?.Throttled ?? 0), Rate(sample.LicenseWrites, previous?.LicenseWrites ?? 0)));
            previous = sample;
        }

        await File.WriteAllLinesAsync(path, lines, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task StopAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            stop.Cancel();
        }

        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var stats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                samples.Add(new Sample(clock.Elapsed.TotalSeconds, stats.Writes, stats.WritesThrottled, stats.Throttled, stats.LicenseWrites));
            }
            catch (HttpRequestException)
            {
                // A missed sample only makes the timeline coarser.
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Sample(double Seconds, long Writes, long WritesThrottled, long Throttled, long LicenseWrites);
}
