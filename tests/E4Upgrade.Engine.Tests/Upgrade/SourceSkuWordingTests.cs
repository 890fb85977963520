using System.Text.RegularExpressions;
using E4Upgrade.Engine.Tests.Licensing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Findings name the SKU a run moves from: SPE_E5 when -SourceSku says so, E4 for an E4 source.</summary>
public class SourceSkuWordingTests
{
    private static readonly Regex E4Word = new(@"(?<![\w-])E4(?![\w])");

    [Fact]
    public async Task Every_finding_of_a_run_from_SPE_E5_names_SPE_E5_and_never_E4()
    {
        var tenant = new FakeTenant();
        var m365E5 = CatalogSkus.Get(CatalogSkus.M365E5, enabled: 3);
        tenant.Skus.Add(m365E5);
        tenant.Skus.Add(TestSkus.E5(enabled: 2)); // too few seats: InsufficientTargetSeats
        tenant.AddUser("a@contoso.com", m365E5.SkuId);
        tenant.AddUser("nolocation@contoso.com", m365E5.SkuId).UsageLocation = null;
        tenant.AddGroup("E5 staff", m365E5.SkuId, new[] { tenant.AddUser("member@contoso.com") });

        var report = await new EligibilityChecker(tenant).CheckAsync(
            new EligibilityRequest { SourceSku = "SPE_E5", TargetSkus = new[] { "ENTERPRISEPREMIUM" } }, CancellationToken.None);

        Assert.Equal("SPE_E5", report.SourceSku);
        Assert.StartsWith("1 users with a direct SPE_E5 assignment have no usage location", report.Findings.Single(f => f.Code == FindingCodes.UsageLocationMissing).Message);
        Assert.StartsWith("1 groups assign SPE_E5 to 1 users", report.Findings.Single(f => f.Code == FindingCodes.E4AssignedByGroup).Message);
        Assert.Contains("removes SPE_E5", report.Findings.Single(f => f.Code == FindingCodes.E4AssignedByGroup).Message);
        Assert.StartsWith("3 users hold SPE_E5 (directly or through groups)", report.Findings.Single(f => f.Code == FindingCodes.InsufficientTargetSeats).Message);
        Assert.All(report.Findings, f => Assert.DoesNotMatch(E4Word, f.Message));
    }

    [Fact]
    public async Task An_E4_source_is_still_called_E4()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5());
        tenant.AddUser("nolocation@contoso.com", TestSkus.E4Id).UsageLocation = null;

        var report = await new EligibilityChecker(tenant).CheckAsync("ENTERPRISEPREMIUM", CancellationToken.None);

        Assert.StartsWith("1 users with a direct E4 assignment", report.Findings.Single(f => f.Code == FindingCodes.UsageLocationMissing).Message);
    }
}
