using System.Text.Json;
using E4Upgrade.Engine.Reporting;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade.Undo;

/// <summary>What the report (rows, summary, HTML) says about an undo, from journal lines as the module writes them.</summary>
public sealed class UndoReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4undoreport-" + Guid.NewGuid().ToString("N"));

    public UndoReportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Journal(params object[] records)
    {
        var path = Path.Combine(_dir, "run.jsonl");
        File.WriteAllLines(path, records.Select(r => JsonSerializer.Serialize(r)));
        return path;
    }

    private static object Run() => new
    {
        type = "run", format = "E4Upgrade.Journal", at = T0, runId = "r1", tenant = "11111111-1111-1111-1111-111111111111",
        sourceSku = "ENTERPRISEWITHSCAL", targetSku = "SPE_E5", started = T0,
    };

    private static object Moved(double at, string user) => new
    {
        type = "result", at = T0.AddSeconds(at), userId = user, upn = user + "@contoso.com", status = "Moved", attempts = 1, sourceDisabledPlanIds = Array.Empty<Guid>(),
    };

    private static object UndoResult(double at, string user, string status, string? reason = null, string? message = null) => new
    {
        type = "undoResult", at = T0.AddSeconds(at), userId = user, upn = user + "@contoso.com", status, reason, message,
    };

    private string UndoneJournal() => Journal(
        Run(), Moved(1, "u1"), Moved(2, "u2"), Moved(3, "u3"),
        new { type = "completed", at = T0.AddSeconds(4) },
        new { type = "undoStarted", at = T0.AddSeconds(100), runId = "undo-1", started = T0.AddSeconds(100), ranBy = "admin on host" },
        new { type = "undoSending", at = T0.AddSeconds(101), userId = "u1" },
        UndoResult(102, "u1", "Undone"),
        UndoResult(102, "u2", "Skipped", "UndoChangedSinceRun", "Changed since the run: its disabled plans changed <b>."),
        new { type = "undoSending", at = T0.AddSeconds(103), userId = "u3" });

    [Fact]
    public void Undo_records_become_rows_and_counts_and_leave_the_run_s_own_rows_and_times_alone()
    {
        var report = JournalReportReader.Read(UndoneJournal());
        var summary = JournalReportSummary.Of(report);

        Assert.Equal(3, summary.Moved);
        Assert.Equal(TimeSpan.FromSeconds(4), summary.ActiveTime); // the undo's records are not the run's active time
        Assert.Equal(1, summary.UndoRuns);
        Assert.Equal(1, summary.Undone);
        Assert.Equal(1, summary.UndoSkipped);
        Assert.Equal(1, summary.UndoFailed); // u3: sent, no answer recorded
        var rows = report.Records.Where(r => r.Kind == ReportRecordKind.Undo).ToList();
        Assert.Equal(new[] { "Undone", "Skipped", "Unconfirmed" }, rows.Select(r => r.Status));
        Assert.Equal(new[] { "SPE_E5" }, rows[0].From);
        Assert.Equal(new[] { "ENTERPRISEWITHSCAL" }, rows[0].To);
        Assert.Equal("undo-1", rows[0].RunId);
    }

    [Fact]
    public void The_html_has_an_undo_section_with_its_numbers_and_who_was_not_given_back_and_why()
    {
        var html = HtmlReportWriter.ToHtml(ReportModel.From(JournalReportReader.Read(UndoneJournal())), T0);

        Assert.Contains("<section id=\"undo\">", html);
        Assert.Contains("data-metric=\"Undone\">1<", html);
        Assert.Contains("data-metric=\"UndoSkipped\">1<", html);
        Assert.Contains("data-metric=\"UndoFailed\">1<", html);
        Assert.Contains("admin on host", html);
        Assert.Contains("<tr data-undo-status=\"Skipped\"><td>u2@contoso.com</td>", html);
        Assert.Contains("UndoChangedSinceRun", html);
        Assert.Contains("its disabled plans changed &lt;b&gt;.", html);
        // Undo rows are not failures of the run.
        Assert.Contains("data-metric=\"NotMoved\">0<", html);
    }

    [Fact]
    public void A_journal_never_undone_has_no_undo_section()
    {
        var html = HtmlReportWriter.ToHtml(ReportModel.From(JournalReportReader.Read(Journal(Run(), Moved(1, "u1")))), T0);

        Assert.DoesNotContain("id=\"undo\"", html);
    }
}
