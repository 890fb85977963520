using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Report;
using E4Upgrade.Benchmark.Strategies;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>
/// The group section (Invoke-Benchmark.ps1 -Only Groups runs it alone, in about two minutes): for 1, 4 and 8 licensing
/// groups of 100 members each, a simulator whose Entra starts on a group 10 s after its swap and then processes 20
/// members a second (the realistic profile's figures, our choice: Microsoft publishes none), under --time-scale 5;
/// Start-E4Upgrade in a fresh pwsh with the swaps side by side and then one at a time, on the same starting tenant.
/// </summary>
public sealed class GroupProbe
{
    public const int MembersPerGroup = 100;
    public static readonly IReadOnlyList<int> GroupCounts = new[] { 1, 4, 8 };
    private const string E4 = "ENTERPRISEWITHSCAL";
    private const string E4SkuId = "1392051d-0cb9-4b7a-88d5-621fee5e8711";
    private const string Target = "SPE_E5";
    private readonly BenchmarkOptions options;

    public GroupProbe(BenchmarkOptions options)
    {
        this.options = options;
    }

    private static IEnumerable<string> SimulatorArguments() => new[]
    {
        "--profile", "ideal", "--time-scale", "5", "--latency-ms", "0",
        "--group-start-delay-ms", "10000", "--group-members-per-second", "20",
    };

    public async Task<GroupCheck> MeasureAsync(CancellationToken cancellationToken)
    {
        var rows = new List<GroupRow>();
        foreach (var groups in GroupCounts)
        {
            var tenantFile = Path.Combine(options.OutputDirectory, $"groups-{groups}-tenant.json");
            await File.WriteAllTextAsync(tenantFile, Tenant(groups, MembersPerGroup).ToJsonString(), cancellationToken).ConfigureAwait(false);
            var token = "bench-" + Guid.NewGuid().ToString("n");
            Console.WriteLine($"Groups: {groups} groups of {MembersPerGroup} members, starting the simulator");
            RunningSimulator simulator;
            try
            {
                simulator = await SimulatorHost.StartProcessAsync(options.SimulatorDll,
                    SimulatorArguments().Concat(new[] { "--tenant", tenantFile, "--token", token }).ToArray(),
                    Path.Combine(options.OutputDirectory, $"simulator-groups-{groups}.log"), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or TimeoutException or ArgumentException)
            {
                throw new BenchmarkFailedException($"Could not start the Graph simulator: {ex.Message}");
            }

            await using (simulator.ConfigureAwait(false))
            {
                var sideBySide = await RunAsync(simulator, $"groups-{groups}-side-by-side", 0, cancellationToken).ConfigureAwait(false);
                var sideStats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                await simulator.ResetAsync(cancellationToken).ConfigureAwait(false);
                var oneAtATime = await RunAsync(simulator, $"groups-{groups}-one-at-a-time", 1, cancellationToken).ConfigureAwait(false);
                var oneStats = await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                var row = new GroupRow
                {
                    Groups = groups,
                    MembersPerGroup = MembersPerGroup,
                    SideBySideSeconds = Math.Round(sideBySide.Seconds, 2),
                    OneAtATimeSeconds = Math.Round(oneAtATime.Seconds, 2),
                    GroupsSwapped = sideBySide.GroupsSwapped,
                    MembersMoved = sideBySide.GroupMembersMoved,
                    OneAtATimeGroupsSwapped = oneAtATime.GroupsSwapped,
                    OneAtATimeMembersMoved = oneAtATime.GroupMembersMoved,
                    UsersEverUnlicensed = sideStats.UsersEverUnlicensed + oneStats.UsersEverUnlicensed,
                };
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant(
                    $"  side by side {row.SideBySideSeconds:0.0} s, one at a time {row.OneAtATimeSeconds:0.0} s ({row.Speedup:0.0}x); swapped {row.GroupsSwapped}/{row.OneAtATimeGroupsSwapped}, members moved {row.MembersMoved}/{row.OneAtATimeMembersMoved}, ever unlicensed {row.UsersEverUnlicensed}"));
            }
        }

        return new GroupCheck { Settings = string.Join(' ', SimulatorArguments()), Rows = rows };
    }

    private async Task<GroupRunSummary> RunAsync(RunningSimulator simulator, string name, int inFlight, CancellationToken cancellationToken)
    {
        var files = new StrategyFiles(options.OutputDirectory, name);
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "Measure-E4UpgradeGroups.ps1");
        var arguments = new List<string>
        {
            options.PwshDll, "-NoProfile", "-NonInteractive", "-File", script,
            "-ModulePath", options.ModulePath,
            "-GraphEndpoint", simulator.GraphBaseUrl.ToString(),
            "-SummaryFile", files.Summary,
            "-JournalPath", Path.Combine(files.Directory, "journal.jsonl"),
            "-TargetSku", Target,
            "-GroupSwapsInFlight", inFlight.ToString(CultureInfo.InvariantCulture),
        };
        var timeout = TimeSpan.FromSeconds(options.StrategyTimeoutSeconds);
        using var process = ChildProcess.Start("dotnet", arguments, files.Log, new Dictionary<string, string> { [BaselineChild.TokenVariable] = simulator.Token });
        var exitCode = await process.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0 || !File.Exists(files.Summary))
        {
            throw new BenchmarkFailedException($"Start-E4Upgrade ({name}) {(exitCode is null ? $"did not finish within {timeout.TotalSeconds:0} s" : $"failed (exit code {exitCode})")}; log: {files.Log}{Environment.NewLine}{process.Tail(30)}");
        }

        await using var stream = File.OpenRead(files.Summary);
        return await JsonSerializer.DeserializeAsync<GroupRunSummary>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken).ConfigureAwait(false)
            ?? throw new BenchmarkFailedException($"{files.Summary} is empty.");
    }

    /// <summary>A tenant whose E4 holders are all licensed through groups: users 1..N*M, group g has users (g-1)*M+1..g*M.</summary>
    private static JsonObject Tenant(int groups, int membersPerGroup)
    {
        var users = Enumerable.Range(1, groups * membersPerGroup).Select(n => (JsonNode?)new JsonObject
        {
            ["id"] = $"00000000-0000-4000-8000-{n:D12}",
            ["userPrincipalName"] = $"member{n}@contoso.onmicrosoft.com",
            ["usageLocation"] = "US",
            ["assignedLicenses"] = new JsonArray(),
        }).ToArray();
        var groupNodes = Enumerable.Range(1, groups).Select(g => (JsonNode?)new JsonObject
        {
            ["id"] = $"00000000-0000-4000-9000-{g:D12}",
            ["displayName"] = $"E4 licensing {g}",
            ["assignedLicenses"] = new JsonArray(new JsonObject { ["skuId"] = E4SkuId, ["disabledPlans"] = new JsonArray() }),
            ["members"] = new JsonArray(Enumerable.Range((g - 1) * membersPerGroup + 1, membersPerGroup).Select(n => (JsonNode?)$"00000000-0000-4000-8000-{n:D12}").ToArray()),
        }).ToArray();
        return new JsonObject
        {
            ["subscribedSkus"] = new JsonArray(
                new JsonObject { ["skuPartNumber"] = E4, ["seats"] = groups * membersPerGroup },
                new JsonObject { ["skuPartNumber"] = Target, ["seats"] = groups * membersPerGroup }),
            ["users"] = new JsonArray(users),
            ["groups"] = new JsonArray(groupNodes),
        };
    }

    private sealed class GroupRunSummary
    {
        public double Seconds { get; set; }
        public int Groups { get; set; }
        public int GroupsSwapped { get; set; }
        public int GroupMembersMoved { get; set; }
        public bool Succeeded { get; set; }
    }
}
