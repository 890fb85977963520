using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Tests.Upgrade;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Reporting;

/// <summary>The report of a journal the runner itself wrote agrees with the runner's own summary.</summary>
public sealed class RunReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4runreport-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_report_of_a_run_has_every_user_and_group_the_run_decided_named_by_its_run_id()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5(enabled: 1000));
        for (var i = 0; i < 30; i++)
        {
            var user = tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
            if (i % 3 == 0) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));
        }

        var members = Enumerable.Range(0, 8).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList();
        tenant.AddGroup("E4 staff", TestSkus.E4Id, members, TestSkus.Plan("MCOVOICECONF"));
        var options = new UpgradeOptions
        {
            TargetSku = "ENTERPRISEPREMIUM",
            TenantId = "11111111-1111-1111-1111-111111111111",
            JournalPath = Path.Combine(_dir, "journal.jsonl"),
            GroupPollInterval = TimeSpan.FromMilliseconds(5),
            GroupProcessingTimeout = TimeSpan.FromSeconds(10),
        };

        var run = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, null, CancellationToken.None);
        var report = JournalReportReader.Read(run.JournalPath!);
        var summary = JournalReportSummary.Of(report);

        Assert.NotNull(run.RunId);
        Assert.All(report.Records, r => Assert.Equal((1, run.RunId), (r.Run, r.RunId)));
        Assert.Equal(30, report.Records.Count(r => r.Kind == ReportRecordKind.User && r.GroupId == null && r.Status == "Moved"));
        Assert.Equal(8, report.Records.Count(r => r.Kind == ReportRecordKind.User && r.GroupName != null && r.GroupName.StartsWith("E4 staff") && r.Status == "Moved"));
        var group = Assert.Single(report.Records, r => r.Kind == ReportRecordKind.Group);
        Assert.Equal(("E4 staff (" + group.GroupId + ")", ReportStatuses.Swapped, 8, 1), (group.GroupName, group.Status, group.Members, group.Attempts));
        Assert.Equal(new[] { "MCOVOICECONF" }, group.DisabledPlansBefore);
        Assert.Equal(new[] { "FORMS_PLAN_E5" }, report.Records.Single(r => r.UserPrincipalName == "direct0@contoso.com").DisabledPlansAfter);
        Assert.All(report.Records.Where(r => r.GroupId == null && r.Kind == ReportRecordKind.User), r => Assert.Equal(1, r.Attempts));
        Assert.Equal((run.Moved + run.GroupMembersMoved, (long)run.GroupsSwapped, true), ((long)summary.Moved, (long)summary.GroupsSwapped, summary.Completed));
        Assert.Equal(new[] { "ENTERPRISEPREMIUM" }, summary.To);
        Assert.Equal(run.Started, summary.Started);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
