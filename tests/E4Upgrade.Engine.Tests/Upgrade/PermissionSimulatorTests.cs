using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Connection;
using E4Upgrade.Engine.Tests.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Permissions end to end: the real session reads its token's roles or scp, eligibility names every missing permission
/// before any write, and a 403 in the middle of a run stops it with PermissionMissing; the same run resumes once granted.
/// </summary>
public sealed class PermissionSimulatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4upgrade-permissions-" + Guid.NewGuid().ToString("N"));

    /// <summary>Each need with a token holding every README permission except the ones that would meet it.</summary>
    public static TheoryData<string, string> EachMissingPermission() => new()
    {
        { "ReadUsers", "User.Read.All" },
        { "ReadGroups", "GroupMember.Read.All" },
        { "AssignUserLicenses", "LicenseAssignment.ReadWrite.All" },
        { "AssignGroupLicenses", "LicenseAssignment.ReadWrite.All" },
        { "SetUsageLocation", "User.ReadWrite.All" },
    };

    [Theory]
    [MemberData(nameof(EachMissingPermission))]
    public async Task Eligibility_reports_each_missing_permission_from_the_token_before_any_write(string need, string named)
    {
        var token = JwtTokens.App(RolesWithout(need));
        await using var connection = await SimulatorConnection.StartAsync(token, "--users", "60", "--seed", "3");
        var permissions = await connection.Session.ReadTokenPermissionsAsync(CancellationToken.None);
        var requestsAtConnect = (await connection.Simulator.GetStatsAsync()).Requests;

        var report = await new EligibilityChecker(connection.Gateway).CheckAsync(
            new EligibilityRequest { TargetSku = "SPE_E5", UsageLocation = "US", TokenPermissions = permissions }, CancellationToken.None);

        var described = need switch
        {
            "ReadSubscriptions" => GraphPermissions.ReadSubscriptions,
            "ReadUsers" => GraphPermissions.ReadUsers,
            "ReadGroups" => GraphPermissions.ReadGroups,
            "AssignUserLicenses" => GraphPermissions.AssignUserLicenses,
            "AssignGroupLicenses" => GraphPermissions.AssignGroupLicenses,
            _ => GraphPermissions.SetUsageLocation,
        };
        Assert.Equal(named, described.LeastPrivileged);
        var missing = Assert.Single(report.Findings, f => f.Code == FindingCodes.MissingPermission && f.Message.Contains(" lack " + described.Describe(), StringComparison.Ordinal));
        Assert.Equal(FindingSeverity.Blocker, missing.Severity);
        Assert.False(report.IsEligible);
        var stats = await connection.Simulator.GetStatsAsync();
        Assert.Equal(0, stats.Writes);
        Assert.Equal(0, stats.Unauthorized);
        if (need is "ReadUsers" or "ReadGroups")
        {
            Assert.Equal(requestsAtConnect, stats.Requests); // nothing the token could not read was even tried
        }
    }

    [Fact]
    public async Task Without_a_permission_to_read_the_skus_connecting_already_fails_with_PermissionMissing_naming_it()
    {
        await using var simulator = await GraphSimulator.SimulatorHost.StartAsync("--users", "20", "--token", JwtTokens.App(RolesWithout("ReadSubscriptions")));

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            SimulatorConnection.ConnectAsync(simulator, JwtTokens.App(RolesWithout("ReadSubscriptions")), new List<string>()));

        Assert.Equal(ErrorIds.PermissionMissing, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.PermissionDenied, error.Category);
        Assert.Contains("lacks Organization.Read.All (or Directory.Read.All, Organization.ReadWrite.All) to read the subscribed SKUs and subscriptions", error.Message);
        Assert.Equal(0, (await simulator.GetStatsAsync()).Writes);
    }

    [Fact]
    public async Task The_readme_permissions_are_enough_and_raise_no_permission_finding()
    {
        await using var connection = await SimulatorConnection.StartAsync(JwtTokens.App(JwtTokens.ReadmePermissions.Append("User.ReadWrite.All").ToArray()), "--users", "60");
        var permissions = await connection.Session.ReadTokenPermissionsAsync(CancellationToken.None);

        var report = await new EligibilityChecker(connection.Gateway).CheckAsync(
            new EligibilityRequest { TargetSku = "SPE_E5", UsageLocation = "US", TokenPermissions = permissions }, CancellationToken.None);

        Assert.DoesNotContain(report.Findings, f => f.Code is FindingCodes.MissingPermission or FindingCodes.DelegatedRoleNotChecked);
        Assert.True(report.E4Groups > 0);
    }

    [Fact]
    public async Task A_delegated_token_has_its_scopes_checked_and_is_told_the_role_is_not()
    {
        var token = JwtTokens.Delegated("openid", "LicenseAssignment.ReadWrite.All", "User.Read.All", "Organization.Read.All");
        await using var connection = await SimulatorConnection.StartAsync(token, "--users", "60");
        var permissions = await connection.Session.ReadTokenPermissionsAsync(CancellationToken.None);

        var report = await new EligibilityChecker(connection.Gateway).CheckAsync(
            new EligibilityRequest { TargetSku = "SPE_E5", TokenPermissions = permissions }, CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.MissingPermission && f.Message.Contains("delegated scopes (scp) lack GroupMember.Read.All", StringComparison.Ordinal));
        var role = Assert.Single(report.Findings, f => f.Code == FindingCodes.DelegatedRoleNotChecked);
        Assert.Equal(FindingSeverity.Warning, role.Severity);
        Assert.Contains("License Administrator", role.Message);
    }

    [Fact]
    public async Task Group_license_permission_is_asked_only_when_groups_assign_the_source()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5());
        tenant.AddUser("direct@contoso.com", TestSkus.E4Id);
        var token = TokenPermissions.TryRead(JwtTokens.App("User.Read.All", "Organization.Read.All", "Group.Read.All", "User.ReadWrite.All"))!;
        var request = new EligibilityRequest { TargetSku = "ENTERPRISEPREMIUM", TokenPermissions = token };

        var withoutGroups = await new EligibilityChecker(tenant).CheckAsync(request, CancellationToken.None);
        tenant.AddGroup("E4 staff", TestSkus.E4Id, new[] { tenant.AddUser("member@contoso.com") });
        var withGroups = await new EligibilityChecker(tenant).CheckAsync(request, CancellationToken.None);

        Assert.DoesNotContain(withoutGroups.Findings, f => f.Code == FindingCodes.MissingPermission);
        var missing = Assert.Single(withGroups.Findings, f => f.Code == FindingCodes.MissingPermission);
        Assert.Contains("LicenseAssignment.ReadWrite.All (or Group.ReadWrite.All, Directory.ReadWrite.All) to change the licenses groups assign", missing.Message);
    }

    [Fact]
    public async Task A_run_refused_by_eligibility_for_a_missing_permission_writes_nothing()
    {
        var token = JwtTokens.App(RolesWithout("AssignGroupLicenses"));
        await using var connection = await SimulatorConnection.StartAsync(token, "--users", "60");
        var options = Options();
        options.TokenPermissions = await connection.Session.ReadTokenPermissionsAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(connection.Gateway, Engine()).RunAsync(options, new RecordingReporter(), CancellationToken.None));

        Assert.Equal(ErrorIds.NotEligible, error.ErrorId);
        Assert.Contains("[MissingPermission]", error.Message);
        Assert.Equal(0, (await connection.Simulator.GetStatsAsync()).Writes);
    }

    [Fact]
    public async Task A_403_in_the_group_phase_stops_the_run_with_PermissionMissing_and_the_same_run_resumes_once_granted()
    {
        // Eligibility is not told the token's permissions here (as with an opaque token), so Graph's 403 is what stops the run.
        var lacking = JwtTokens.App(RolesWithout("AssignGroupLicenses"));
        var granted = JwtTokens.App(JwtTokens.ReadmePermissions.Append("User.ReadWrite.All").ToArray());
        await using var connection = await SimulatorConnection.StartAsync(lacking, "--users", "200", "--time-scale", "50", "--seed", "11", "--token", granted);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => new UpgradeRunner(connection.Gateway, Engine()).RunAsync(Options(), new RecordingReporter(), CancellationToken.None));

        Assert.Equal(ErrorIds.PermissionMissing, error.ErrorId);
        Assert.Equal(403, error.HttpStatus);
        Assert.Contains("LicenseAssignment.ReadWrite.All (or Group.ReadWrite.All, Directory.ReadWrite.All) to change the licenses groups assign", error.Message);
        var afterFirst = await connection.Simulator.GetStatsAsync();
        Assert.Equal(190, afterFirst.LicenseWrites); // every direct holder moved before the group phase met the 403
        Assert.Equal(0, afterFirst.UsersEverUnlicensed);

        var log = new List<string>();
        using var grantedSession = await SimulatorConnection.ConnectAsync(connection.Simulator, granted, log);
        var summary = await new UpgradeRunner(grantedSession.Gateway, Engine()).RunAsync(Options(), new RecordingReporter(), CancellationToken.None);

        var stats = await connection.Simulator.GetStatsAsync();
        Assert.True(summary.Succeeded);
        Assert.Equal(3, summary.GroupsSwapped);
        Assert.Equal(0, summary.Moved); // the direct holders were finished by the first run
        Assert.Equal(190, stats.LicenseWrites);
        Assert.Equal(0, stats.UsersWithMultipleLicenseWrites);
        Assert.Equal(0, stats.UsersEverUnlicensed);
    }

    private static string[] RolesWithout(string need)
    {
        var all = new[] { "LicenseAssignment.ReadWrite.All", "User.Read.All", "User.ReadWrite.All", "Organization.Read.All", "Group.Read.All" };
        return need switch
        {
            "ReadSubscriptions" => all.Where(r => r != "Organization.Read.All").ToArray(),
            "ReadUsers" => all.Where(r => r is not "User.Read.All" and not "User.ReadWrite.All").ToArray(),
            "ReadGroups" => all.Where(r => r != "Group.Read.All").ToArray(),
            "AssignUserLicenses" => all.Where(r => r is not "LicenseAssignment.ReadWrite.All" and not "User.ReadWrite.All").ToArray(),
            // Group.ReadWrite.All would grant it; Group.Read.All stays for the reads.
            "AssignGroupLicenses" => all.Where(r => r != "LicenseAssignment.ReadWrite.All").ToArray(),
            "SetUsageLocation" => all.Where(r => r != "User.ReadWrite.All").ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(need)),
        };
    }

    private UpgradeOptions Options() => new()
    {
        TargetSku = "SPE_E5",
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        UsageLocation = "US",
        GroupPollInterval = TimeSpan.FromMilliseconds(50),
        GroupProcessingTimeout = TimeSpan.FromSeconds(60),
    };

    private static MoveEngineSettings Engine() => new()
    {
        Pacer = { InitialWritesPerSecond = 1000, MaxWritesPerSecond = 5000 },
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        ReplicationLag = TimeSpan.Zero,
    };

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
