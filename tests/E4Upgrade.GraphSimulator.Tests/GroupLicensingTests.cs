using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;
using UserAssign = Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class GroupLicensingTests
{
    private static readonly string[] MemberSelect = { "id", "userPrincipalName", "usageLocation", "assignedLicenses", "licenseAssignmentStates" };

    [Fact]
    public async Task GroupAssignLicense_Is202_ProcessesMembersAsynchronously_WithCountViolation_AndReprocess()
    {
        // 200 users: group "E4 licensing A" has members 11, 71, 131, 191 and 171 (also in C). Two O365 E5 seats.
        // Processing starts 3 s after the group's assignLicense: the reads that show it queued come well before.
        await using var simulator = await SimulatorHost.StartAsync("--users", "200", "--target-seats", "2", "--group-delay-ms", "3000");
        var client = Client(simulator);
        var groups = (await client.Groups.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {E4})";
            r.QueryParameters.Select = new[] { "id", "displayName", "assignedLicenses" };
        }))!.Value!;
        Assert.Equal(3, groups.Count);
        var group = groups.Single(g => g.DisplayName == "E4 licensing A");
        await client.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E5, E4)); // takes one of the two seats

        var accepted = await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?>(),
        });
        Assert.Equal(group.Id, accepted!.Id);
        Assert.Equal("QueuedForProcessing", await ProcessingStateAsync(client, group.Id!));
        var unprocessed = await MembersAsync(client, group.Id!);
        Assert.DoesNotContain(unprocessed, m => m.AssignedLicenses!.Any(l => l.SkuId == O365E5));

        await WaitForProcessingAsync(client, group.Id!);
        var members = await MembersAsync(client, group.Id!);
        Assert.Equal(5, members.Count);
        var licensed = Assert.Single(members, m => m.AssignedLicenses!.Any(l => l.SkuId == O365E5));
        Assert.Contains(licensed.LicenseAssignmentStates!, s => s.SkuId == O365E5 && s.AssignedByGroup == group.Id && s.State == "Active" && s.Error == "None");
        var failed = members.Where(m => m != licensed).ToList();
        Assert.All(failed, m =>
        {
            Assert.Contains(m.LicenseAssignmentStates!, s => s.SkuId == O365E5 && s.AssignedByGroup == group.Id && s.State == "Error" && s.Error == "CountViolation");
            Assert.Contains(m.AssignedLicenses!, l => l.SkuId == E4);
        });
        var withErrors = (await client.Groups[group.Id].MembersWithLicenseErrors.GetAsync())!.Value!;
        Assert.Equal(failed.Select(m => m.Id).Order(), withErrors.Select(m => m.Id).Order());

        // Free the seat held directly by user 1, then reprocess one failed member: it gets the license.
        await client.Users[Upn(1)].AssignLicense.PostAsync(new UserAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = E4, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?> { O365E5 },
        });
        var reprocessed = await client.Users[failed[0].Id].ReprocessLicenseAssignment.PostAsync();
        Assert.Contains(reprocessed!.AssignedLicenses!, l => l.SkuId == O365E5);
        Assert.Equal(failed.Count - 1, (await client.Groups[group.Id].MembersWithLicenseErrors.GetAsync())!.Value!.Count);
        var sku = (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == O365E5);
        Assert.Equal(2, sku.ConsumedUnits);
    }

    [Fact]
    public async Task GroupSwap_MovesEveryMember_WithoutLeavingAnyoneUnlicensed_AndTheUserCannotDropTheInheritedLicense()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "200", "--group-delay-ms", "50");
        var client = Client(simulator);
        var group = (await client.Groups.GetAsync())!.Value!.Single(g => g.DisplayName == "E4 licensing B");

        var error = await ErrorFrom(() => client.Users[Upn(31)].AssignLicense.PostAsync(Swap(M365E5, E4)));
        Assert.Equal("User license is inherited from a group membership and it cannot be removed directly from the user.", error.Error!.Message);

        await client.Groups[group.Id].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = M365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?> { E4 },
        });
        await WaitForProcessingAsync(client, group.Id!);

        var members = await MembersAsync(client, group.Id!);
        Assert.NotEmpty(members);
        Assert.All(members, m => Assert.Contains(m.AssignedLicenses!, l => l.SkuId == M365E5));
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(0, stats.UsersEverUnlicensed);
        Assert.Equal(2, stats.Writes); // the refused user call and the group call: one write each, whatever the member count
    }

    private static async Task<string?> ProcessingStateAsync(GraphServiceClient client, string groupId) =>
        (await client.Groups[groupId].GetAsync(r => r.QueryParameters.Select = new[] { "id", "licenseProcessingState" }))!.LicenseProcessingState?.State;

    private static async Task WaitForProcessingAsync(GraphServiceClient client, string groupId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ProcessingStateAsync(client, groupId) != "ProcessingComplete")
        {
            Assert.True(DateTime.UtcNow < deadline, "Group license processing did not complete.");
            await Task.Delay(50);
        }
    }

    private static async Task<List<User>> MembersAsync(GraphServiceClient client, string groupId) =>
        (await client.Groups[groupId].Members.GetAsync(r => r.QueryParameters.Select = MemberSelect))!.Value!.Cast<User>().ToList();
}
