using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// The sandbox section (-Only Sandbox runs it alone): does the module fit an Azure Automation cloud job's memory?
/// Test-E4UpgradeEligibility, then Start-E4Upgrade, each in a fresh pwsh against the same simulated tenant (100,000 users
/// by default, write quota lifted, no latency: memory, not speed, is measured); the figure is the peak working set of the
/// whole pwsh process (Scripts/Measure-E4UpgradeSandbox.ps1), runtime and libraries included, as the sandbox counts it.
/// </summary>
public sealed class SandboxProbe
{
    private const string Unlimited = "1000000000/150";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly BenchmarkOptions options;

    public SandboxProbe(BenchmarkOptions options)
    {
        this.options = options;
    }

    public string SandboxJson => Path.Combine(options.OutputDirectory, "sandbox.json");

    public async Task<SandboxCheck> MeasureAsync(CancellationToken cancellationToken)
    {
        var settings = new SimulatorSettings
        {
            Users = options.SandboxUsers,
            WriteLimit = Unlimited,
            TenantWriteLimit = Unlimited,
            TimeScale = 1,
            LatencyMs = 0,
            Seed = options.Seed,
        };
        Console.WriteLine($"Sandbox: starting the simulator ({settings.Describe()})");
        var simulator = await BenchmarkSimulator.StartAsync(options.SimulatorDll, settings, Path.Combine(options.OutputDirectory, "simulator-sandbox.log"), cancellationToken).ConfigureAwait(false);
        await using (simulator.ConfigureAwait(false))
        {
            var stats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            var eligibility = await RunAsync(simulator, "Test-E4UpgradeEligibility", cancellationToken).ConfigureAwait(false);
            var upgrade = await RunAsync(simulator, "Start-E4Upgrade", cancellationToken).ConfigureAwait(false);
            var check = new SandboxCheck { Settings = settings.Describe(), TenantUsers = stats.Users, Upgrade = upgrade, Eligibility = eligibility };
            await File.WriteAllTextAsync(SandboxJson, JsonSerializer.Serialize(check, Indented), cancellationToken).ConfigureAwait(false);
            return check;
        }
    }

    private async Task<SandboxRun> RunAsync(RunningSimulator simulator, string cmdlet, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Sandbox: {cmdlet} in a fresh pwsh");
        var files = new StrategyFiles(options.OutputDirectory, "sandbox-" + cmdlet.ToLowerInvariant());
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "Measure-E4UpgradeSandbox.ps1");
        var arguments = new List<string>
        {
            options.PwshDll, "-NoProfile", "-NonInteractive", "-File", script,
            "-ModulePath", options.ModulePath,
            "-GraphEndpoint", simulator.GraphUrl(),
            "-SummaryFile", files.Summary,
            "-Cmdlet", cmdlet,
            "-JournalPath", Path.Combine(files.Directory, "journal.jsonl"),
        };
        var timeout = TimeSpan.FromSeconds(options.StrategyTimeoutSeconds);
        using var process = ChildProcess.Start("dotnet", arguments, files.Log, new Dictionary<string, string> { [BaselineChild.TokenVariable] = simulator.Token });
        var exitCode = await process.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (exitCode is null)
        {
            throw new BenchmarkFailedException($"{cmdlet} did not finish within {timeout.TotalSeconds:0} s; log: {files.Log}{Environment.NewLine}{process.Tail(20)}");
        }

        if (exitCode != 0 || !File.Exists(files.Summary))
        {
            throw new BenchmarkFailedException($"{cmdlet} failed (exit code {exitCode}); log: {files.Log}{Environment.NewLine}{process.Tail(30)}");
        }

        await using var stream = File.OpenRead(files.Summary);
        var summary = await JsonSerializer.DeserializeAsync<Summary>(stream, Web, cancellationToken).ConfigureAwait(false)
            ?? throw new BenchmarkFailedException($"{files.Summary} is empty.");
        var run = new SandboxRun
        {
            Cmdlet = cmdlet,
            State = summary.State ?? "",
            Users = summary.Users,
            Moved = summary.Moved,
            GroupMembersMoved = summary.GroupMembersMoved,
            Failed = summary.Failed,
            Seconds = Math.Round(summary.Seconds, 1),
            PeakMemoryMB = Math.Round(summary.PeakMemoryKb / 1024.0, 1),
        };
        Console.WriteLine($"  {run.Seconds:0.0} s, {run.State}, {run.Users:N0} users, peak working set {run.PeakMemoryMB:0.0} MB");
        return run;
    }

    private sealed class Summary
    {
        public string? State { get; set; }
        public long Users { get; set; }
        public long Moved { get; set; }
        public long GroupMembersMoved { get; set; }
        public long Failed { get; set; }
        public double Seconds { get; set; }
        public long PeakMemoryKb { get; set; }
    }
}
