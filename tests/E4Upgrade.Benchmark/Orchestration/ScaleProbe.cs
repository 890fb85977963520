using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Scale;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// The scale section: a simulator generating a large tenant (100,000 users by default) is started as a process and
/// timed until it answers; then the E4 holders are listed in full through the Graph SDK; then Test-E4UpgradeEligibility
/// runs against it in a fresh pwsh. Graph's default write limits, no latency and no faults: what is timed is local work
/// (the simulator's and the client's), "seconds of local time" as issue 5 puts it, not a network's round trips.
/// </summary>
public sealed class ScaleProbe
{
    private const string TargetSku = TenantSnapshot.TargetSku;
    private readonly BenchmarkOptions options;

    public ScaleProbe(BenchmarkOptions options)
    {
        this.options = options;
    }

    public async Task<ScaleCheck> MeasureAsync(CancellationToken cancellationToken)
    {
        var loadBefore = SystemLoad.Describe();
        var settings = new SimulatorSettings { Users = options.ScaleUsers, TimeScale = 1, LatencyMs = 0, Seed = options.Seed };
        var files = new StrategyFiles(options.OutputDirectory, "scale");
        Console.WriteLine($"Scale: starting the simulator ({settings.Describe()})");
        var startWatch = Stopwatch.StartNew();
        var simulator = await BenchmarkSimulator.StartAsync(options.SimulatorDll, settings, Path.Combine(options.OutputDirectory, "simulator-scale.log"), cancellationToken).ConfigureAwait(false);
        startWatch.Stop();
        await using (simulator.ConfigureAwait(false))
        {
            var startSeconds = startWatch.Elapsed.TotalSeconds;
            var stats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"  answered after {startSeconds:0.0} s with {stats.Users:N0} users"));

            Console.WriteLine($"Scale: listing every {TenantSnapshot.SourceSku} holder through the Graph SDK ($top={E4HolderListing.PageSize})");
            var listing = await E4HolderListing.RunAsync(simulator.GraphUrl(), simulator.Token, TenantSnapshot.SourceSku, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"  {listing.Seconds:0.0} s, {listing.Listed:N0} users ({listing.Distinct:N0} distinct) in {listing.Pages:N0} pages"));

            Console.WriteLine($"Scale: Test-E4UpgradeEligibility -TargetSku {TargetSku} in a fresh pwsh");
            var (eligibility, processSeconds) = await RunEligibilityAsync(simulator, files, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"  {eligibility.Seconds:0.0} s (process {processSeconds:0.0} s), TotalE4Users {eligibility.TotalE4Users:N0}, IsEligible {eligibility.IsEligible}, {eligibility.BlockerCount} blockers, {eligibility.WarningCount} warnings"));

            return new ScaleCheck
            {
                Measured = new ScaleMeasurement
                {
                    SimulatorStartSeconds = Math.Round(startSeconds, 2),
                    ListingSeconds = Math.Round(listing.Seconds, 2),
                    ListedUsers = listing.Listed,
                    EligibilitySeconds = Math.Round(eligibility.Seconds, 2),
                    EligibilityUsers = eligibility.TotalE4Users,
                },
                TenantUsers = stats.Users,
                Settings = settings.Describe(),
                Listing = listing,
                Eligibility = eligibility,
                EligibilityProcessSeconds = Math.Round(processSeconds, 2),
                LoadBefore = loadBefore,
                LoadAfter = SystemLoad.Describe(),
            };
        }
    }

    private async Task<(EligibilitySummary Summary, double ProcessSeconds)> RunEligibilityAsync(RunningSimulator simulator, StrategyFiles files, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.StrategyTimeoutSeconds);
        using var process = new EligibilityLauncher(options.PwshDll, options.ModulePath).Start(simulator, TargetSku, files.Summary, files.Log);
        var exitCode = await process.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (exitCode is null)
        {
            throw new BenchmarkFailedException($"Test-E4UpgradeEligibility did not finish within {timeout.TotalSeconds:0} s; log: {files.Log}{Environment.NewLine}{process.Tail(20)}");
        }

        if (exitCode != 0 || !File.Exists(files.Summary))
        {
            throw new BenchmarkFailedException($"Test-E4UpgradeEligibility failed (exit code {exitCode}); log: {files.Log}{Environment.NewLine}{process.Tail(30)}");
        }

        var summary = await EligibilitySummary.ReadAsync(files.Summary, cancellationToken).ConfigureAwait(false);
        return (summary, process.WallTime.TotalSeconds);
    }
}
