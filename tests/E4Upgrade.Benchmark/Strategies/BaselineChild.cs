using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Cli;
using E4Upgrade.Benchmark.Measurement;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// "strategy": runs one baseline in this (fresh) process, streams its per-user outcomes to a file and ends with a
/// summary holding the move's duration and this process's peak memory. The token comes from E4UPGRADE_BENCH_TOKEN.
/// </summary>
public static class BaselineChild
{
    public const string TokenVariable = "E4UPGRADE_BENCH_TOKEN";

    public static async Task<int> RunAsync(ArgumentMap args, CancellationToken cancellationToken)
    {
        IBaselineStrategy strategy = args.Required("name") switch
        {
            PerUserLoop.Name => new PerUserLoop(),
            SdkBatchSequential.Name => new SdkBatchSequential(),
            var other => throw new ArgumentException($"Unknown baseline '{other}'."),
        };
        var token = Environment.GetEnvironmentVariable(TokenVariable) ?? throw new ArgumentException($"{TokenVariable} is not set.");
        var users = BaselineUser.ReadAll(args.Required("users-file"));
        var swap = new LicenseSwap(Guid.Parse(args.Required("source-sku-id")), Guid.Parse(args.Required("target-sku-id")));

        var client = SdkClientFactory.Create(args.Required("graph"), token, out var httpClient);
        using (httpClient)
        using (var outcomes = new OutcomeRecorder(args.Required("outcomes-file")))
        {
            var watch = Stopwatch.StartNew();
            await strategy.RunAsync(client, users, swap, outcomes, cancellationToken).ConfigureAwait(false);
            watch.Stop();
            await new RunSummary
            {
                Seconds = watch.Elapsed.TotalSeconds,
                PeakMemoryKb = PeakMemory.OfThisProcessKb(),
                Reported = outcomes.Moved + outcomes.Failed,
                Moved = outcomes.Moved,
                Failed = outcomes.Failed,
            }.WriteAsync(args.Required("summary-file"), cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
