using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Cli;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark;

/// <summary>
/// Verbs: "run" orchestrates the whole benchmark (see tests/E4Upgrade.Benchmark/performance.md); "strategy" is the child process that runs one
/// baseline script, so each strategy's peak memory is its own process's.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return args.Length > 0 ? args[0] switch
            {
                "run" => await new BenchmarkRunner(BenchmarkOptions.From(new ArgumentMap(args, 1))).RunAsync(cancellation.Token),
                "strategy" => await BaselineChild.RunAsync(new ArgumentMap(args, 1), cancellation.Token),
                _ => Usage(),
            } : Usage();
        }
        catch (Exception ex) when (ex is ArgumentException or BenchmarkFailedException)
        {
            Console.Error.WriteLine($"Benchmark failed: {ex.Message}");
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: E4Upgrade.Benchmark run --pwsh <pwsh.dll> --module <E4Upgrade.psd1> --simulator <E4Upgrade.GraphSimulator.dll> --output <dir> [options]");
        Console.Error.WriteLine("       E4Upgrade.Benchmark strategy --name PerUserLoop|SdkBatchSequential --graph <url> --users-file <f> --outcomes-file <f> --summary-file <f>");
        return 2;
    }
}
