using System.Text;
using System.Text.Json;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Tests.Upgrade;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.GraphSimulator;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>
/// The tenant a session's journal belongs to: the token's tid claim, else GET /organization (a token that names no
/// tenant, such as the simulator's opaque ones or a managed identity's that cannot be read), over real HTTP.
/// </summary>
public sealed class DirectoryTenantTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-tenant-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_token_without_tid_takes_the_tenant_from_GET_organization()
    {
        await using var connection = await SimulatorConnection.StartAsync("opaque-token", "--users", "5", "--seed", "21");

        Assert.Null(connection.Session.TenantId);
        Assert.Equal(await TenantIdOfAsync(connection.Simulator), connection.Session.DirectoryTenantId);
        Assert.Equal(connection.Session.DirectoryTenantId, connection.Session.OrganizationTenantId);
    }

    [Fact]
    public async Task A_token_with_tid_is_keyed_by_it_and_never_asks_GET_organization()
    {
        const string tid = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
        await using var connection = await SimulatorConnection.StartAsync(JwtWithTenant(tid), "--users", "5", "--seed", "21");

        Assert.Equal(tid, connection.Session.DirectoryTenantId);
        Assert.Null(connection.Session.OrganizationTenantId);
        Assert.Equal(1, (await connection.Simulator.GetStatsAsync()).Requests); // GET subscribedSkus only
    }

    [Fact]
    public async Task A_run_keys_its_journal_by_the_organization_and_refuses_it_in_another_tenant()
    {
        var journal = Path.Combine(_dir, "journal.jsonl");
        string? firstTenant;
        await using (var first = await SimulatorConnection.StartAsync("opaque-a", "--users", "10", "--seed", "21"))
        {
            var summary = await new UpgradeRunner(first.Gateway, Engine()).RunAsync(Options(first, journal), new RecordingReporter(), CancellationToken.None);
            Assert.True(summary.Succeeded);
            using var header = JsonDocument.Parse(File.ReadLines(journal).First());
            firstTenant = await TenantIdOfAsync(first.Simulator);
            Assert.Equal(firstTenant, header.RootElement.GetProperty("tenant").GetString());
        }

        await using var second = await SimulatorConnection.StartAsync("opaque-b", "--users", "10", "--seed", "22");
        Assert.NotEqual(firstTenant, await TenantIdOfAsync(second.Simulator));

        var refused = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            new UpgradeRunner(second.Gateway, Engine()).RunAsync(Options(second, journal), new RecordingReporter(), CancellationToken.None));

        Assert.Equal(ErrorIds.JournalOtherTenant, refused.ErrorId);
        Assert.Contains(firstTenant!, refused.Message);
        Assert.Equal(0, (await second.Simulator.GetStatsAsync()).Writes);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static UpgradeOptions Options(SimulatorConnection connection, string journal) => new()
    {
        TargetSku = "SPE_E5",
        TenantId = connection.Session.DirectoryTenantId,
        JournalPath = journal,
        UsageLocation = "US",
        GroupPollInterval = TimeSpan.FromMilliseconds(50),
        GroupProcessingTimeout = TimeSpan.FromSeconds(60),
    };

    private static MoveEngineSettings Engine() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        ReplicationLag = TimeSpan.Zero, // the simulator's ideal profile has none
    };

    private static async Task<string?> TenantIdOfAsync(RunningSimulator simulator)
    {
        using var tenant = await simulator.GetTenantAsync();
        return tenant.RootElement.GetProperty("subscribedSkus")[0].GetProperty("accountId").GetString();
    }

    /// <summary>An unsigned JWT-shaped token with a tid claim: the simulator compares tokens as strings, the module reads tid.</summary>
    private static string JwtWithTenant(string tenantId)
    {
        static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Encode($"{{\"tid\":\"{tenantId}\",\"exp\":{exp}}}") + ".sig";
    }
}
