using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class GroupProcessingTests
{
    [Fact]
    public async Task ProcessingRunsAtMembersPerSecond_AndShowsPartialProgress()
    {
        // 2000 users: group "E4 licensing A" has 42 members, processed at 5 a second after a 1 s start delay. The clock
        // of group processing is held, so the test decides how far Entra got, whatever the machine's load.
        await using var simulator = await SimulatorHost.StartAsync(
            "--users", "2000", "--group-start-delay-ms", "1000", "--group-members-per-second", "5", "--clock", "held");
        var client = Client(simulator);
        var group = (await client.Groups.GetAsync())!.Value!.Single(g => g.DisplayName == "E4 licensing A");
        var total = (await MembersAsync(client, group.Id!)).Count;
        Assert.True(total > 30, $"only {total} members");

        await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = M365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });
        Assert.Equal("QueuedForProcessing", await StateAsync(client, group.Id!));

        // One advance over the start delay and 2 s of processing: 10 members are due, and the rest wait for the clock.
        await simulator.AdvanceClockAsync(TimeSpan.FromSeconds(3));
        await WaitForProcessedAsync(simulator, 10);
        Assert.Equal("ProcessingInProgress", await StateAsync(client, group.Id!));
        Assert.Equal(10, await MembersWithTargetAsync(client, group.Id!));
        Assert.Equal(10, (await simulator.GetStatsAsync()).GroupMembersProcessed);

        // The time the rest need at 5 a second.
        await simulator.AdvanceClockAsync(TimeSpan.FromSeconds((total - 10) / 5.0));
        await WaitForProcessedAsync(simulator, total);
        Assert.Equal("ProcessingComplete", await StateAsync(client, group.Id!));
        Assert.Equal(total, await MembersWithTargetAsync(client, group.Id!));
    }

    [Fact]
    public async Task AClockAdvancedPastTheStartDelay_StartsProcessingAtOnce()
    {
        // A real-time clock with Entra's realistic 10 s start delay: the advance, not the wait, brings the processing.
        await using var simulator = await SimulatorHost.StartAsync("--users", "2000", "--group-start-delay-ms", "10000");
        var client = Client(simulator);
        var group = (await client.Groups.GetAsync())!.Value!.Single(g => g.DisplayName == "E4 licensing A");
        var total = (await MembersAsync(client, group.Id!)).Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = M365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });
        await simulator.AdvanceClockAsync(TimeSpan.FromSeconds(10));
        await WaitForProcessedAsync(simulator, total);

        Assert.Equal("ProcessingComplete", await StateAsync(client, group.Id!));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:F1} s: the start delay was waited out");
    }

    /// <summary>The processing runs on its own task: waits (bounded) until it has processed this many members.</summary>
    private static async Task WaitForProcessedAsync(RunningSimulator simulator, int members)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await simulator.GetStatsAsync()).GroupMembersProcessed < members)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Group processing did not reach {members} members.");
            await Task.Delay(10);
        }
    }

    private static async Task<string> StateAsync(GraphServiceClient client, string groupId) =>
        (await client.Groups[groupId].GetAsync(r => r.QueryParameters.Select = new[] { "licenseProcessingState" }))!.LicenseProcessingState!.State!;

    private static async Task<int> MembersWithTargetAsync(GraphServiceClient client, string groupId) =>
        (await MembersAsync(client, groupId)).Count(m => m.AssignedLicenses!.Any(l => l.SkuId == M365E5));

    private static async Task<List<User>> MembersAsync(GraphServiceClient client, string groupId) =>
        (await client.Groups[groupId].Members.GetAsync(r =>
        {
            r.QueryParameters.Select = new[] { "id", "assignedLicenses" };
            r.QueryParameters.Top = 999;
        }))!.Value!.Cast<User>().ToList();
}
