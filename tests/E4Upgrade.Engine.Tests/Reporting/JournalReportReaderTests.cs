using System.Text;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Tests.Upgrade;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Reporting;

public sealed class JournalReportReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4report-" + Guid.NewGuid().ToString("N"));

    public JournalReportReaderTests() => Directory.CreateDirectory(_dir);

    private string PathIn(string name = "run.jsonl") => Path.Combine(_dir, name);

    private static JournalHeader Header() => new()
    {
        TenantId = "11111111-1111-1111-1111-111111111111",
        SourceSku = "ENTERPRISEWITHSCAL",
        SourceSkuId = TestSkus.E4Id,
        TargetSku = "ENTERPRISEPREMIUM",
        TargetSkuId = TestSkus.E5Id,
        OptionsHash = "h1",
        Started = DateTimeOffset.UtcNow,
    };

    private static MoveResult Result(string id, MoveStatus status, int attempts, string? reason = null, string? groupId = null) => new()
    {
        UserId = id,
        UserPrincipalName = id + "@contoso.com",
        Status = status,
        Reason = reason,
        Attempts = attempts,
        GroupId = groupId,
        DisabledPlansBefore = new[] { "FORMS_PLAN_E3" },
        DisabledPlansAfter = new[] { "FORMS_PLAN_E5" },
    };

    /// <summary>A first run stopped mid-way (no completion record), then a second run that finished the job.</summary>
    private (string Path, string Run1, string Run2) KilledAndResumed()
    {
        var path = PathIn();
        string run1, run2;
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            run1 = journal.RunId;
            journal.WriteSending("moved", null);
            journal.WriteResult(Result("moved", MoveStatus.Moved, 1));
            journal.WriteSending("in-flight", null);
            journal.WriteSending("failed-then-moved", null);
            journal.WriteResult(Result("failed-then-moved", MoveStatus.Failed, 1, ErrorIds.UsageLocationMissing));
            journal.WriteResult(Result("skipped", MoveStatus.Skipped, 0, ErrorIds.InheritedFromGroup, "g1"));
            journal.WriteGroupSwapSending("g1", "Sales", new[] { "YAMMER_ENTERPRISE" }, new[] { "YAMMER_ENTERPRISE" });
            journal.WriteGroupSwapSent("g1", "Sales", true, null);
        }

        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            run2 = journal.RunId;
            journal.WriteResult(Result("in-flight", MoveStatus.AlreadyMoved, 0));
            journal.WriteSending("failed-then-moved", null);
            journal.WriteResult(Result("failed-then-moved", MoveStatus.Moved, 1));
            journal.WriteMemberResult(Result("member", MoveStatus.Moved, 0, groupId: "g1"));
            journal.WriteGroupVerified("g1", "Sales", 1, 0, timedOut: false);
            journal.WriteCompleted(new UpgradeSummary());
        }

        return (path, run1, run2);
    }

    [Fact]
    public void A_killed_and_resumed_journal_gives_one_record_per_user_and_group_with_the_run_that_decided_it()
    {
        var (path, run1, run2) = KilledAndResumed();

        var report = JournalReportReader.Read(path);

        Assert.Empty(report.Problems);
        Assert.Equal("11111111-1111-1111-1111-111111111111", report.Tenant);
        Assert.Equal(2, report.Runs.Count);
        Assert.False(report.Runs[0].Completed);
        Assert.True(report.Runs[1].Completed);
        Assert.Equal(new[] { run1, run2 }, report.Runs.Select(r => r.RunId));

        var byUser = report.Records.Where(r => r.Kind == ReportRecordKind.User).ToDictionary(r => r.UserId!);
        Assert.Equal(new[] { "moved", "in-flight", "failed-then-moved", "skipped", "member" }, report.Records.Where(r => r.Kind == ReportRecordKind.User).Select(r => r.UserId));

        var moved = byUser["moved"];
        Assert.Equal(("Moved", 1, 1, run1), (moved.Status, moved.Attempts, moved.Run, moved.RunId));
        Assert.Equal(new[] { "ENTERPRISEWITHSCAL" }, moved.From);
        Assert.Equal(new[] { "ENTERPRISEPREMIUM" }, moved.To);
        Assert.Equal(new[] { "FORMS_PLAN_E3" }, moved.DisabledPlansBefore);
        Assert.Equal(new[] { "FORMS_PLAN_E5" }, moved.DisabledPlansAfter);
        Assert.Equal("moved@contoso.com", moved.UserPrincipalName);

        // The write of the killed run landed; the resumed run read the user and found it done: one attempt in all.
        var inFlight = byUser["in-flight"];
        Assert.Equal(("AlreadyMoved", 1, 2, run2), (inFlight.Status, inFlight.Attempts, inFlight.Run, inFlight.RunId));

        var retried = byUser["failed-then-moved"];
        Assert.Equal(("Moved", 2, 2), (retried.Status, retried.Attempts, retried.Run));
        Assert.Null(retried.Reason);

        var skipped = byUser["skipped"];
        Assert.Equal(("Skipped", ErrorIds.InheritedFromGroup, 0), (skipped.Status, skipped.Reason, skipped.Attempts));

        var member = byUser["member"];
        Assert.Equal(("Moved", "g1", "Sales", 2), (member.Status, member.GroupId, member.GroupName, member.Run));

        var group = Assert.Single(report.Records, r => r.Kind == ReportRecordKind.Group);
        Assert.Equal(("g1", "Sales", "Swapped", 1, 2), (group.GroupId, group.GroupName, group.Status, group.Attempts, group.Run));
        Assert.Equal((1, 0), (group.Members, group.MembersFailed));
        Assert.Equal(new[] { "YAMMER_ENTERPRISE" }, group.DisabledPlansBefore);
    }

    [Fact]
    public void A_learnt_plan_dependency_is_kept_for_the_next_run_and_the_report_reads_around_it()
    {
        var path = PathIn();
        var plan = Guid.NewGuid();
        var requires = new[] { Guid.NewGuid(), Guid.NewGuid() };
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("moved", null);
            journal.WriteDependencyLearnt(new LearntDependency(plan, requires, DependencyKind.AllOf));
            journal.WriteResult(Result("moved", MoveStatus.Moved, 2));
        }

        var report = JournalReportReader.Read(path);
        var state = JournalState.Read(path);

        Assert.Empty(report.Problems);
        Assert.Equal(("moved", "Moved", 2), report.Records.Select(r => (r.UserId, r.Status, r.Attempts)).Single());
        var rule = Assert.Single(state.LearntDependencies);
        Assert.Equal((plan, DependencyKind.AllOf), (rule.Plan, rule.Kind));
        Assert.Equal(requires, rule.Requires);
    }

    [Fact]
    public void A_write_sent_without_a_recorded_answer_is_unconfirmed_and_a_swap_not_verified_is_sent()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", null);
            journal.WriteGroupSwapSending("g1", "Sales");
            journal.WriteGroupSwapSending("g2", "Finance");
            journal.WriteGroupSwapSent("g2", "Finance", true, null);
        }

        var report = JournalReportReader.Read(path);

        var user = Assert.Single(report.Records, r => r.Kind == ReportRecordKind.User);
        Assert.Equal((ReportStatuses.Unconfirmed, 1), (user.Status, user.Attempts));
        Assert.Equal(ReportStatuses.Unconfirmed, report.Records.Single(r => r.GroupId == "g1").Status);
        Assert.Equal(ReportStatuses.Sent, report.Records.Single(r => r.GroupId == "g2").Status);
    }

    [Fact]
    public void A_journal_cut_short_still_gives_every_complete_record_and_names_the_torn_line()
    {
        var (path, _, _) = KilledAndResumed();
        File.AppendAllText(path, "{\"type\":\"result\",\"at\":\"2026-01-01T00:00:00+00:00\",\"userId\":\"torn\",\"sta");

        var report = JournalReportReader.Read(path);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(ErrorIds.JournalTruncated, problem.ErrorId);
        Assert.Equal(File.ReadAllLines(path).Length, problem.Line);
        Assert.Equal(6, report.Records.Count);
        Assert.DoesNotContain(report.Records, r => r.UserId == "torn");
    }

    [Fact]
    public void An_unreadable_line_inside_is_reported_and_the_records_around_it_are_kept()
    {
        var path = PathIn();
        File.WriteAllLines(path, new[]
        {
            Line("run", "2026-01-01T10:00:00Z", "\"version\":1,\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"SPE_E5\""),
            Line("result", "2026-01-01T10:00:01Z", "\"userId\":\"a\",\"status\":\"Moved\",\"attempts\":1"),
            "this line was edited by hand",
            Line("result", "2026-01-01T10:00:02Z", "\"userId\":\"b\",\"status\":\"Failed\",\"reason\":\"UsageLocationMissing\""),
        });

        var report = JournalReportReader.Read(path);

        var problem = Assert.Single(report.Problems);
        Assert.Equal((ErrorIds.JournalCorrupt, 3L), (problem.ErrorId, problem.Line));
        Assert.Equal(new[] { "a", "b" }, report.Records.Select(r => r.UserId));
    }

    [Fact]
    public void A_journal_written_before_runs_were_named_reads_with_run_numbers_and_no_run_id()
    {
        var path = PathIn();
        File.WriteAllLines(path, new[]
        {
            Line("run", "2026-01-01T10:00:00Z", "\"version\":1,\"tenant\":\"t\",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"SPE_E5\",\"started\":\"2026-01-01T10:00:00Z\""),
            Line("groupSending", "2026-01-01T10:00:01Z", "\"groupId\":\"g1\",\"groupName\":\"Sales\""),
            Line("run", "2026-01-01T11:00:00Z", "\"version\":1,\"tenant\":\"t\",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"SPE_E5\",\"started\":\"2026-01-01T11:00:00Z\""),
            Line("groupVerified", "2026-01-01T11:00:03Z", "\"groupId\":\"g1\",\"groupName\":\"Sales\",\"members\":4,\"failed\":1,\"timedOut\":false"),
        });

        var group = Assert.Single(JournalReportReader.Read(path).Records);

        Assert.Equal(("Sales", ReportStatuses.SwappedWithErrors, 2, (string?)null), (group.GroupName, group.Status, group.Run, group.RunId));
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T11:00:00Z"), group.RunStarted);
        Assert.Empty(group.DisabledPlansBefore);
    }

    [Fact]
    public void A_compound_target_is_read_as_its_SKUs()
    {
        var path = PathIn();
        File.WriteAllLines(path, new[]
        {
            Line("run", "2026-01-01T10:00:00Z", "\"version\":1,\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"Office_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New\""),
            Line("result", "2026-01-01T10:00:01Z", "\"userId\":\"a\",\"status\":\"Moved\",\"attempts\":1"),
        });

        var record = Assert.Single(JournalReportReader.Read(path).Records);

        Assert.Equal(new[] { "Office_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" }, record.To);
        Assert.Equal(new[] { "ENTERPRISEWITHSCAL" }, record.From);
    }

    [Fact]
    public void The_summary_counts_per_status_and_reason_and_measures_throughput_over_the_runs_active_time()
    {
        var path = PathIn();
        File.WriteAllLines(path, new[]
        {
            Line("run", "2026-01-01T10:00:00Z", "\"version\":1,\"tenant\":\"t\",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"SPE_E5\",\"started\":\"2026-01-01T10:00:00Z\""),
            Line("sending", "2026-01-01T10:00:01Z", "\"userId\":\"a\""),
            Line("result", "2026-01-01T10:00:02Z", "\"userId\":\"a\",\"status\":\"Moved\",\"attempts\":1"),
            Line("result", "2026-01-01T10:00:05Z", "\"userId\":\"b\",\"status\":\"Failed\",\"reason\":\"UsageLocationMissing\",\"attempts\":1"),
            Line("sending", "2026-01-01T10:00:10Z", "\"userId\":\"c\""),
            // An hour passes before the run is resumed: it does not count as working time.
            Line("run", "2026-01-01T11:00:00Z", "\"version\":1,\"tenant\":\"t\",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"targetSku\":\"SPE_E5\",\"started\":\"2026-01-01T11:00:00Z\""),
            Line("result", "2026-01-01T11:00:02Z", "\"userId\":\"c\",\"status\":\"AlreadyMoved\",\"attempts\":0"),
            Line("result", "2026-01-01T11:00:03Z", "\"userId\":\"d\",\"status\":\"Failed\",\"reason\":\"UsageLocationMissing\",\"attempts\":1"),
            Line("sending", "2026-01-01T11:00:04Z", "\"userId\":\"e\""),
            Line("completed", "2026-01-01T11:00:05Z", "\"moved\":0"),
        });

        var summary = JournalReportSummary.Of(JournalReportReader.Read(path));

        Assert.Equal((2, true, 5), (summary.Runs, summary.Completed, summary.Users));
        Assert.Equal((1, 1, 0, 2, 1), (summary.Moved, summary.AlreadyMoved, summary.Skipped, summary.Failed, summary.Unconfirmed));
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T10:00:00Z"), summary.Started);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T11:00:05Z"), summary.Ended);
        Assert.Equal(TimeSpan.FromSeconds(15), summary.ActiveTime);
        Assert.Equal(Math.Round(4 / 15.0, 2), summary.UsersPerSecond);
        Assert.Equal(new[] { "SPE_E5" }, summary.To);
        var failed = Assert.Single(summary.Counts, c => c.Status == "Failed");
        Assert.Equal((ReportRecordKind.User, "UsageLocationMissing", 2), (failed.Kind, failed.Reason, failed.Count));
        Assert.Equal(4, summary.Counts.Count);
    }

    [Fact]
    public void A_missing_path_is_JournalNotFound()
    {
        var ex = Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(PathIn("nope.jsonl")));
        Assert.Equal((ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound), (ex.ErrorId, ex.Category));
    }

    [Theory]
    [InlineData("")]
    [InlineData("UserPrincipalName,Status\nuser1@contoso.com,Moved\n")]
    [InlineData("{\"type\":\"result\",\"userId\":\"a\",\"status\":\"Moved\"}\n")]
    [InlineData("{\"type\":\"run\",\"version\":1")]
    [InlineData("\u0001\u0002binary")]
    public void A_file_that_is_not_a_journal_is_NotAJournal(string content)
    {
        var path = PathIn("other.txt");
        File.WriteAllText(path, content, new UTF8Encoding(false));

        var ex = Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(path));

        Assert.Equal((ErrorIds.NotAJournal, ErrorCategoryNames.InvalidData), (ex.ErrorId, ex.Category));
    }

    [Fact]
    public void A_folder_is_NotAJournal()
    {
        var ex = Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(_dir));
        Assert.Equal(ErrorIds.NotAJournal, ex.ErrorId);
    }

    [Fact]
    public void The_default_journal_is_found_by_tenant_and_target_and_an_ambiguous_choice_is_refused()
    {
        var a = PathIn("contoso.onmicrosoft.com-ENTERPRISEWITHSCAL-SPE_E5.jsonl");
        var b = PathIn("fabrikam.onmicrosoft.com-ENTERPRISEWITHSCAL-SPE_E5.jsonl");
        var c = PathIn("fabrikam.onmicrosoft.com-ENTERPRISEWITHSCAL-SPE_E3.jsonl");
        foreach (var f in new[] { a, b, c }) File.WriteAllText(f, "");

        Assert.Equal(a, JournalLocator.Find(_dir, "contoso.onmicrosoft.com", null, "SPE_E5"));
        Assert.Equal(c, JournalLocator.Find(_dir, null, "ENTERPRISEWITHSCAL", "SPE_E3"));
        Assert.Equal(ErrorIds.JournalAmbiguous, Assert.Throws<E4UpgradeException>(() => JournalLocator.Find(_dir, null, null, "SPE_E5")).ErrorId);
        Assert.Equal(ErrorIds.JournalNotFound, Assert.Throws<E4UpgradeException>(() => JournalLocator.Find(_dir, "contoso.onmicrosoft.com", null, "SPE_E3")).ErrorId);
        Assert.Equal(ErrorIds.JournalNotFound, Assert.Throws<E4UpgradeException>(() => JournalLocator.Find(Path.Combine(_dir, "none"), null, null, "SPE_E5")).ErrorId);
    }

    [Fact]
    public void Each_run_record_names_its_run_and_a_group_swap_records_its_plans()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteGroupSwapSending("g1", "Sales", new[] { "A" }, new[] { "B" });
            Assert.Matches("^[0-9a-f]{32}$", journal.RunId);
        }

        var lines = File.ReadAllLines(path);
        Assert.Contains("\"runId\":\"", lines[0]);
        Assert.Contains("\"disabledPlansBefore\":[\"A\"]", lines[1]);
        // The journal's own resume logic still reads a journal with these fields.
        Assert.Equal(1, JournalState.Read(path).Runs);
    }

    private static string Line(string type, string at, string rest) => $"{{\"type\":\"{type}\",\"at\":\"{at}\",{rest}}}";

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
