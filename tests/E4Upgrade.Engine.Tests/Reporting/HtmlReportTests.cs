using System.Text.Json;
using System.Text.RegularExpressions;
using E4Upgrade.Engine.Reporting;
using Xunit;

namespace E4Upgrade.Engine.Tests.Reporting;

/// <summary>The HTML report of a journal: its model (moves over time, pauses, groups, failures) and what the HTML holds.</summary>
public sealed class HtmlReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4html-" + Guid.NewGuid().ToString("N"));

    public HtmlReportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Journal lines as Start-E4Upgrade writes them, at chosen times (seconds after T0).</summary>
    private string Journal(params object[] records)
    {
        var path = Path.Combine(_dir, "run.jsonl");
        File.WriteAllLines(path, records.Select(r => JsonSerializer.Serialize(r)));
        return path;
    }

    private static object Run(double at, string runId = "run-1") => new
    {
        type = "run", at = T0.AddSeconds(at), version = 1, runId, tenant = "contoso.onmicrosoft.com", sourceSku = "SPE_E5",
        targetSku = "Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", started = T0.AddSeconds(at),
    };

    private static object Result(double at, string user, string status, string? reason = null, string? message = null) => new
    {
        type = "result", at = T0.AddSeconds(at), userId = user, upn = user + "@contoso.com", status, reason, message, attempts = 1,
    };

    private static ReportModel Model(string path) => ReportModel.From(JournalReportReader.Read(path));

    [Fact]
    public void The_moves_over_time_count_each_moved_user_at_the_time_of_its_result()
    {
        var model = Model(Journal(Run(0), Result(1, "a", "Moved"), Result(2, "b", "Failed", "UsageLocationMissing"), Result(3, "c", "Moved"), Result(4, "d", "AlreadyMoved")));

        Assert.Equal(2, model.Moves.Total);
        Assert.Equal(new[] { (T0.AddSeconds(1), 1), (T0.AddSeconds(3), 2) }, model.Moves.Points.Select(p => (p.Time, p.Count)));
        Assert.Equal(T0, model.Moves.Start);
        Assert.Equal(T0.AddSeconds(4), model.Moves.End);
    }

    [Fact]
    public void A_stretch_with_no_result_far_longer_than_the_usual_interval_is_a_pause_and_the_time_between_runs_is_marked_apart()
    {
        // Results every second, then 30 s of nothing (a throttling wait), then results again; a second run an hour later.
        var records = new List<object> { Run(0) };
        records.AddRange(Enumerable.Range(1, 10).Select(i => Result(i, "u" + i, "Moved")));
        records.AddRange(Enumerable.Range(0, 10).Select(i => Result(40 + i, "v" + i, "Moved")));
        records.Add(Run(3600, "run-2"));
        records.AddRange(Enumerable.Range(0, 5).Select(i => Result(3601 + i, "w" + i, "Moved")));

        var moves = Model(Journal(records.ToArray())).Moves;

        var pause = Assert.Single(moves.Pauses);
        Assert.Equal((T0.AddSeconds(10), T0.AddSeconds(40)), (pause.From, pause.To));
        var between = Assert.Single(moves.BetweenRuns);
        Assert.Equal((T0.AddSeconds(49), T0.AddSeconds(3600)), (between.From, between.To));
        Assert.Equal(25, moves.Total);
    }

    [Fact]
    public void Many_results_are_drawn_in_a_bounded_number_of_steps_that_end_at_the_total()
    {
        var records = new List<object> { Run(0) };
        records.AddRange(Enumerable.Range(0, 3000).Select(i => Result(i * 0.1, "u" + i, "Moved")));

        var moves = Model(Journal(records.ToArray())).Moves;

        Assert.InRange(moves.Points.Count, 2, MovesOverTime.MaxPoints);
        Assert.Equal(3000, moves.Points[^1].Count);
        Assert.True(moves.Points.Zip(moves.Points.Skip(1)).All(p => p.First.Count < p.Second.Count && p.First.Time < p.Second.Time));
    }

    [Fact]
    public void Groups_carry_when_the_swap_was_sent_when_members_were_verified_and_how_the_members_ended()
    {
        var path = Journal(Run(0),
            new { type = "groupSending", at = T0.AddSeconds(1), groupId = "g1", groupName = "Sales" },
            new { type = "groupSent", at = T0.AddSeconds(2), groupId = "g1", groupName = "Sales", status = "Sent" },
            new { type = "memberResult", at = T0.AddSeconds(30), userId = "m1", upn = "m1@contoso.com", groupId = "g1", status = "Moved", attempts = 0 },
            new { type = "memberResult", at = T0.AddSeconds(31), userId = "m2", upn = "m2@contoso.com", groupId = "g1", status = "Moved", attempts = 0 },
            new { type = "memberResult", at = T0.AddSeconds(32), userId = "m3", upn = "m3@contoso.com", groupId = "g1", status = "Failed", reason = "LicenseConflict", message = "MutuallyExclusiveViolation", attempts = 0 },
            new { type = "groupVerified", at = T0.AddSeconds(33), groupId = "g1", groupName = "Sales", members = 3, failed = 1, timedOut = false });

        var model = Model(path);

        var group = Assert.Single(model.Groups);
        Assert.Equal(T0.AddSeconds(2), group.SentAt);
        Assert.Equal(T0.AddSeconds(33), group.ProcessedAt);
        Assert.Equal(new[] { new KeyValuePair<string, int>("Moved", 2), new KeyValuePair<string, int>("Failed", 1) }, group.MemberOutcomes);
        // The failed member and the group swapped with errors each come with a next step.
        Assert.Equal(new[] { "m3", "g1" }, model.Failures.Select(f => f.Record.UserId ?? f.Record.GroupId));
        Assert.Contains("remove the conflicting license", model.Failures[0].NextStep);
        Assert.Contains("members listed as Failed", model.Failures[1].NextStep);
    }

    [Fact]
    public void Every_failure_skip_and_unconfirmed_write_gets_a_next_step_and_moved_users_are_not_listed()
    {
        var model = Model(Journal(Run(0),
            Result(1, "moved", "Moved"),
            Result(2, "already", "AlreadyMoved"),
            Result(3, "noloc", "Failed", "UsageLocationMissing"),
            Result(4, "odd", "Failed", "SomethingNew", "Graph said no"),
            new { type = "sending", at = T0.AddSeconds(5), userId = "inflight", upn = "inflight@contoso.com" }));

        Assert.Equal(new[] { "noloc", "odd", "inflight" }, model.Failures.Select(f => f.Record.UserId));
        Assert.Contains("-UsageLocation", model.Failures[0].NextStep);
        Assert.Contains("Read the message", model.Failures[1].NextStep);
        Assert.Contains("answer was not recorded", model.Failures[2].NextStep);
    }

    [Fact]
    public void The_html_shows_the_summary_numbers_each_tagged_with_the_summary_property_it_shows()
    {
        var model = Model(Journal(Run(0), Result(1, "a", "Moved"), Result(2, "b", "Moved"), Result(3, "c", "Failed", "UsageLocationMissing"), Result(4, "d", "Skipped", "InheritedFromGroup")));

        var html = HtmlReportWriter.ToHtml(model, T0.AddHours(1));

        string Metric(string name) => Regex.Match(html, $"data-metric=\"{name}\">([^<]*)<").Groups[1].Value;
        Assert.Equal("4", Metric("Users"));
        Assert.Equal("2", Metric("Moved"));
        Assert.Equal("1", Metric("Failed"));
        Assert.Equal("1", Metric("Skipped"));
        Assert.Equal("0", Metric("Unconfirmed"));
        Assert.Equal("1", Metric("Runs"));
        Assert.Equal("2", Metric("ChartTotal"));
        Assert.Equal("2", Metric("NotMoved"));
        Assert.Equal("contoso.onmicrosoft.com", Metric("Tenant"));
        Assert.Equal("SPE_E5", Metric("From"));
        Assert.Equal("Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", Metric("To"));
    }

    [Fact]
    public void Everything_from_the_journal_is_html_encoded_and_the_page_loads_nothing_from_anywhere()
    {
        const string hostile = "<script>alert('x')</script><img src=\"http://evil.example/x.png\">";
        var path = Journal(Run(0),
            new { type = "result", at = T0.AddSeconds(1), userId = "u1", upn = hostile, status = "Failed", reason = "GraphError", message = hostile, attempts = 1 },
            new { type = "groupSent", at = T0.AddSeconds(2), groupId = "g1", groupName = hostile, status = "Failed", message = hostile });

        var html = HtmlReportWriter.ToHtml(Model(path), T0);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        // The only address in the page is the SVG namespace, which names and loads nothing.
        Assert.Equal(new[] { "http://www.w3.org/2000/svg" }, Regex.Matches(html, "https?://[^\"'\\s<]+").Select(m => m.Value).Where(u => !u.Contains("evil.example")).Distinct());
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("@media print", html);
    }

    [Fact]
    public void A_report_that_cannot_be_written_is_ReportNotWritable()
    {
        var model = Model(Journal(Run(0), Result(1, "a", "Moved")));

        var ex = Assert.Throws<E4UpgradeException>(() => HtmlReportWriter.WriteFile(model, Path.Combine(_dir, "no-such-folder", "report.html"), T0));

        Assert.Equal(ErrorIds.ReportNotWritable, ex.ErrorId);
    }

    [Fact]
    public void Several_target_skus_find_the_journal_of_a_run_to_exactly_those_skus_whichever_names_the_file()
    {
        var compound = Path.Combine(_dir, "contoso-SPE_E5-Microsoft_365_E5_(no_Teams).jsonl");
        File.WriteAllLines(compound, new[] { JsonSerializer.Serialize(Run(0)) });
        var suiteOnly = Path.Combine(_dir, "contoso-SPE_E3-Microsoft_365_E5_(no_Teams).jsonl");
        File.WriteAllLines(suiteOnly, new[] { JsonSerializer.Serialize(new { type = "run", at = T0, sourceSku = "SPE_E3", targetSku = "Microsoft_365_E5_(no_Teams)" }) });

        // The add-on first: the file is named after the suite, and the order of the SKUs does not matter.
        Assert.Equal(compound, JournalLocator.Find(_dir, null, null, "Microsoft_Teams_Enterprise_New", "Microsoft_365_E5_(no_Teams)"));
        Assert.Equal(ErrorIds.JournalAmbiguous, Assert.Throws<E4UpgradeException>(() => JournalLocator.Find(_dir, null, null, "Microsoft_365_E5_(no_Teams)")).ErrorId);
        Assert.Equal(ErrorIds.JournalNotFound, Assert.Throws<E4UpgradeException>(() => JournalLocator.Find(_dir, null, null, "Microsoft_365_E5_(no_Teams)", "MCOEV")).ErrorId);
    }

    [Fact]
    public void Each_run_shows_who_ran_it_and_the_findings_it_accepted_where_the_journal_keeps_them()
    {
        var path = Journal(
            new { type = "run", format = "E4Upgrade.Journal", at = T0, runId = "r1", sourceSku = "ENTERPRISEWITHSCAL", targetSku = "SPE_E5", acceptedFindings = new[] { "UsageLocationMissing" }, ranBy = "admin<1> on host" },
            Result(1, "a", "Moved"),
            new { type = "run", at = T0.AddSeconds(10), runId = "r2", sourceSku = "ENTERPRISEWITHSCAL", targetSku = "SPE_E5", ranBy = "other on host" },
            new { type = "run", at = T0.AddSeconds(20), runId = "r3", sourceSku = "ENTERPRISEWITHSCAL", targetSku = "SPE_E5" });

        var html = HtmlReportWriter.ToHtml(Model(path), T0);

        var ranBy = Regex.Matches(html, "data-metric=\"RanBy\">([^<]*)<").Select(m => m.Groups[1].Value);
        Assert.Equal(new[] { "admin&lt;1&gt; on host", "other on host", "not recorded" }, ranBy);
        var accepted = Regex.Matches(html, "data-metric=\"AcceptedFindings\">([^<]*)<").Select(m => m.Groups[1].Value);
        Assert.Equal(new[] { "UsageLocationMissing", "none", "not recorded in this journal" }, accepted);
    }
}
