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
        // 2000 users: group "E4 licensing A" has 42 members. 5 members/s of Graph time at --time-scale 2 = 10/s: about
        // 4 s, so the polls below see it part-way through even when each takes most of a second on a loaded machine.
        await using var simulator = await SimulatorHost.StartAsync(
            "--users", "2000", "--group-start-delay-ms", "200", "--group-members-per-second", "5", "--time-scale", "2");
        var client = Client(simulator);
        var group = (await client.Groups.GetAsync())!.Value!.Single(g => g.DisplayName == "E4 licensing A");
        var total = (await MembersAsync(client, group.Id!)).Count;
        Assert.True(total > 30, $"only {total} members");

        await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = M365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });

        var sawPartial = false;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "Group license processing did not complete.");
            var state = (await client.Groups[group.Id].GetAsync(r => r.QueryParameters.Select = new[] { "licenseProcessingState" }))!.LicenseProcessingState!.State;
            var done = (await MembersAsync(client, group.Id!)).Count(m => m.AssignedLicenses!.Any(l => l.SkuId == M365E5));
            if (state == "ProcessingComplete")
            {
                Assert.Equal(total, done);
                break;
            }

            if (state == "ProcessingInProgress" && done > 0 && done < total)
            {
                sawPartial = true;
                var processed = (await simulator.GetStatsAsync()).GroupMembersProcessed;
                Assert.InRange(processed, done, total); // read a moment later, so it may have finished since
            }

            await Task.Delay(25);
        }

        Assert.True(sawPartial, "Never saw the group part-way through.");
        Assert.Equal(total, (await simulator.GetStatsAsync()).GroupMembersProcessed);
    }

    private static async Task<List<User>> MembersAsync(GraphServiceClient client, string groupId) =>
        (await client.Groups[groupId].Members.GetAsync(r =>
        {
            r.QueryParameters.Select = new[] { "id", "assignedLicenses" };
            r.QueryParameters.Top = 999;
        }))!.Value!.Cast<User>().ToList();
}
