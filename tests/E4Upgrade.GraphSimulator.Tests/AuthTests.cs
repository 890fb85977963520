using E4Upgrade.GraphSimulator.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task MissingOrUnknownTokens_Are401InvalidAuthenticationToken()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", "good");

        var missing = await ErrorFrom(() => Client(simulator, string.Empty).Users.GetAsync());
        Assert.Equal(401, missing.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", missing.Error!.Code);
        Assert.Equal("Access token is empty.", missing.Error.Message);

        var unknown = await ErrorFrom(() => Client(simulator, "bad").Users.GetAsync());
        Assert.Equal(401, unknown.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", unknown.Error!.Code);

        Assert.NotNull(await Client(simulator, "good").Users.GetAsync());
        Assert.Equal(2, (await simulator.GetStatsAsync()).Unauthorized);
    }

    [Fact]
    public async Task ReadToken_ReadsButWritesAre403AuthorizationRequestDenied()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", "writer", "--read-token", "reader");
        var reader = Client(simulator, "reader");

        Assert.NotNull(await reader.Users.GetAsync());
        var patch = await ErrorFrom(() => reader.Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }));
        Assert.Equal(403, patch.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", patch.Error!.Code);
        Assert.Equal("Insufficient privileges to complete the operation.", patch.Error.Message);
        var assign = await ErrorFrom(() => reader.Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4)));
        Assert.Equal(403, assign.ResponseStatusCode);
    }

    [Fact]
    public async Task RevokedToken_Is401Expired_AnAddedTokenWorks_AndResetRestoresTheStartingTokens()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "5", "--token", "session-1");
        await simulator.RevokeTokenAsync("session-1");

        var expired = await ErrorFrom(() => Client(simulator, "session-1").Users.GetAsync());
        Assert.Equal(401, expired.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", expired.Error!.Code);
        Assert.Equal("Lifetime validation failed, the token is expired.", expired.Error.Message);

        await simulator.AddTokenAsync("session-2");
        Assert.NotNull(await Client(simulator, "session-2").Users.GetAsync());
        await simulator.AddTokenAsync("viewer", readOnly: true);
        Assert.Equal(403, (await ErrorFrom(() => Client(simulator, "viewer").Users[Upn(1)].PatchAsync(new User { UsageLocation = "US" }))).ResponseStatusCode);

        using var unknown = await AdminHttp.PostAsync(simulator, "_simulator/tokens/revoke", new { token = "never-issued" });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);

        await simulator.ResetAsync();
        Assert.NotNull(await Client(simulator, "session-1").Users.GetAsync());
        Assert.Equal(401, (await ErrorFrom(() => Client(simulator, "session-2").Users.GetAsync())).ResponseStatusCode);
    }
}
