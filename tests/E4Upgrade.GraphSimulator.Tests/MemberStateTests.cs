using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;
using GroupAssign = Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>
/// licenseAssignmentState's other states on group members: ActiveWithError while Entra retries a
/// LicenseAssignmentAttributeConcurrencyException (a user in several groups with the same license), and Disabled (an
/// injection: no source says when Graph shows it).
/// </summary>
public sealed class MemberStateTests
{
    private static readonly string[] MemberSelect = { "id", "userPrincipalName", "assignedLicenses", "licenseAssignmentStates" };

    [Fact]
    public async Task A_member_given_the_same_license_by_a_second_group_at_once_is_ActiveWithError_until_Entra_retries_then_Active()
    {
        // 100 users: user 11 is in "E4 licensing A" and "E4 licensing B". Both groups swap E4 for O365 E5; the second
        // group's assignment meets the first's within the concurrency window (200 s Graph time = 2 s at scale 100).
        await using var simulator = await SimulatorHost.StartAsync("--users", "100", "--time-scale", "100", "--group-delay-ms", "0",
            "--group-concurrency-retry-ms", "200000");
        var client = Client(simulator);
        var groups = await GroupsByNameAsync(client);
        var a = groups["E4 licensing A"];
        var b = groups["E4 licensing B"];

        await SwapAsync(client, a);
        await WaitForProcessingAsync(client, a);
        await SwapAsync(client, b);
        await WaitForProcessingAsync(client, b);

        var retried = await UserByUpn(client, Upn(11));
        var fromB = Assert.Single(retried.LicenseAssignmentStates!, s => s.SkuId == O365E5 && s.AssignedByGroup == b);
        Assert.Equal(("ActiveWithError", "Other"), (fromB.State, fromB.Error));
        Assert.Contains(retried.LicenseAssignmentStates!, s => s.SkuId == O365E5 && s.AssignedByGroup == a && s.State == "Active" && s.Error == "None");
        Assert.Contains(retried.AssignedLicenses!, l => l.SkuId == O365E5); // in effect (through group A): the member has the services
        var withErrors = (await client.Groups[b].MembersWithLicenseErrors.GetAsync())!.Value!;
        Assert.Contains(withErrors, m => m.Id == retried.Id);
        var seats = (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == O365E5).ConsumedUnits;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        LicenseAssignmentState? now;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "Entra's retry never made the assignment Active.");
            await Task.Delay(20);
            now = (await UserByUpn(client, Upn(11))).LicenseAssignmentStates!.Single(s => s.SkuId == O365E5 && s.AssignedByGroup == b);
        }
        while (now.State != "Active");

        Assert.Equal("None", now.Error);
        Assert.Equal(seats, (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == O365E5).ConsumedUnits); // one seat per user and SKU
        Assert.DoesNotContain((await client.Groups[b].MembersWithLicenseErrors.GetAsync())!.Value!, m => m.Id == retried.Id);
        var stats = await simulator.GetStatsAsync();
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }

    [Fact]
    public async Task Without_the_concurrency_setting_a_second_group_gives_the_license_Active_at_once()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "100", "--time-scale", "100", "--group-delay-ms", "0");
        var client = Client(simulator);
        var groups = await GroupsByNameAsync(client);

        foreach (var name in new[] { "E4 licensing A", "E4 licensing B" })
        {
            await SwapAsync(client, groups[name]);
            await WaitForProcessingAsync(client, groups[name]);
        }

        var user = await UserByUpn(client, Upn(11));
        Assert.All(user.LicenseAssignmentStates!.Where(s => s.SkuId == O365E5), s => Assert.Equal(("Active", "None"), (s.State, s.Error)));
    }

    [Fact]
    public async Task Injected_Disabled_is_a_state_without_error_not_in_effect_and_without_a_seat()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "100", "--time-scale", "100", "--group-delay-ms", "0",
            "--inject", "group-member-disabled=1");
        var client = Client(simulator);
        var group = (await GroupsByNameAsync(client))["E4 licensing C"];

        await SwapAsync(client, group);
        await WaitForProcessingAsync(client, group);

        var members = (await client.Groups[group].Members.GetAsync(r => r.QueryParameters.Select = MemberSelect))!.Value!.Cast<User>().ToList();
        var disabled = Assert.Single(members, m => m.LicenseAssignmentStates!.Any(s => s.SkuId == O365E5 && s.State == "Disabled"));
        Assert.Equal("None", disabled.LicenseAssignmentStates!.Single(s => s.SkuId == O365E5).Error);
        Assert.DoesNotContain(disabled.AssignedLicenses!, l => l.SkuId == O365E5);
        Assert.All(members.Where(m => m != disabled), m => Assert.Contains(m.AssignedLicenses!, l => l.SkuId == O365E5));
        var consumed = (await client.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == O365E5).ConsumedUnits;
        Assert.Equal(members.Count - 1, consumed);
        Assert.Equal(1, (await simulator.GetStatsAsync()).InjectedFaults);
    }

    private static async Task<Dictionary<string, string>> GroupsByNameAsync(GraphServiceClient client) =>
        (await client.Groups.GetAsync(r => r.QueryParameters.Select = new[] { "id", "displayName" }))!.Value!.ToDictionary(g => g.DisplayName!, g => g.Id!);

    private static Task SwapAsync(GraphServiceClient client, string groupId) =>
        client.Groups[groupId].AssignLicense.PostAsync(new GroupAssign
        {
            AddLicenses = new List<AssignedLicense> { new() { SkuId = O365E5, DisabledPlans = new List<Guid?>() } },
            RemoveLicenses = new List<Guid?> { E4 },
        });

    private static async Task WaitForProcessingAsync(GraphServiceClient client, string groupId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.Groups[groupId].GetAsync(r => r.QueryParameters.Select = new[] { "id", "licenseProcessingState" }))!.LicenseProcessingState?.State != "ProcessingComplete")
        {
            Assert.True(DateTime.UtcNow < deadline, "Group license processing did not complete.");
            await Task.Delay(20);
        }
    }
}
