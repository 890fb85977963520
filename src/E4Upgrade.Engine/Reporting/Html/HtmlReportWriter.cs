using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// Writes a <see cref="ReportModel"/> as one self-contained HTML file a change board reads: styles inline, the
    /// chart as inline SVG, no script and nothing loaded from anywhere, laid out for paper too (print CSS). Every text
    /// that comes from the journal is HTML-encoded. The numbers a test checks carry a data-metric attribute named after
    /// the <see cref="JournalReportSummary"/> property they show.
    /// </summary>
    public static class HtmlReportWriter
    {
        public static void WriteFile(ReportModel model, string path, DateTimeOffset generatedAt)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A report path is required.", nameof(path));
            var full = Path.GetFullPath(path);
            try
            {
                using var stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                Write(model, writer, generatedAt);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new E4UpgradeException(ErrorIds.ReportNotWritable, ErrorCategoryNames.WriteError,
                    $"The report '{full}' could not be written: {ex.Message} Name a file in a folder that exists and this account may write to.", ex);
            }
        }

        public static string ToHtml(ReportModel model, DateTimeOffset generatedAt)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            Write(model, writer, generatedAt);
            return writer.ToString();
        }

        public static void Write(ReportModel model, TextWriter writer, DateTimeOffset generatedAt)
        {
            if (model == null) throw new ArgumentNullException(nameof(model));
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            var html = new HtmlBuilder(writer);
            var s = model.Summary;
            var title = $"License change report: {Skus(s.From)} to {Skus(s.To)}";
            html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            html.Raw("<title>").Text(title).Raw("</title>\n<style>").Raw(ReportStyle.Css).Raw("</style>\n</head>\n<body>\n");

            html.Raw("<header>\n<h1>").Text(title).Raw("</h1>\n<dl class=\"facts\">\n");
            Fact(html, "Tenant", s.Tenant ?? "not recorded in the journal", "Tenant");
            Fact(html, "From", Skus(s.From), "From");
            Fact(html, "To", Skus(s.To), "To");
            Fact(html, "Started", Time(s.Started), "Started");
            Fact(html, "Last record", Time(s.Ended), "Ended");
            Fact(html, "State", s.Completed ? "Completed: the last run finished" : "Not completed: the last run stopped before its end; running the same command again continues it", "Completed");
            Fact(html, "Journal", s.JournalPath, "JournalPath");
            Fact(html, "Report written", Time(generatedAt), null);
            html.Raw("</dl>\n</header>\n");

            Totals(html, s);
            Counts(html, s);
            Runs(html, model.Report.Runs);
            Chart(html, model.Moves);
            Groups(html, model.Groups);
            Findings(html, model.Report.Runs);
            Failures(html, model.Failures);
            UndoSection.Write(html, model.Report, s);
            Problems(html, model.Report.Problems);
            html.Raw("</body>\n</html>\n");
        }

        private static void Totals(HtmlBuilder html, JournalReportSummary s)
        {
            html.Raw("<section id=\"totals\">\n<h2>Totals</h2>\n<div class=\"tiles\">\n");
            Tile(html, "Users", s.Users, "Users");
            Tile(html, "Moved", s.Moved, "Moved");
            Tile(html, "Already moved", s.AlreadyMoved, "AlreadyMoved");
            Tile(html, "Skipped", s.Skipped, "Skipped");
            Tile(html, "Failed", s.Failed, "Failed");
            Tile(html, "Unconfirmed", s.Unconfirmed, "Unconfirmed");
            Tile(html, "Groups", s.Groups, "Groups");
            Tile(html, "Groups swapped", s.GroupsSwapped, "GroupsSwapped");
            Tile(html, "Groups failed", s.GroupsFailed, "GroupsFailed");
            Tile(html, "Groups pending", s.GroupsPending, "GroupsPending");
            Tile(html, "Runs", s.Runs, "Runs");
            html.Raw("</div>\n<p>Active time ").Metric("ActiveTime", Duration(s.ActiveTime)).Raw(" (each run from its start to its last record), ")
                .Metric("UsersPerSecond", s.UsersPerSecond.ToString("0.##", CultureInfo.InvariantCulture)).Raw(" users decided per second.</p>\n</section>\n");
        }

        private static void Counts(HtmlBuilder html, JournalReportSummary s)
        {
            html.Raw("<section id=\"counts\">\n<h2>By status and reason</h2>\n<table>\n<thead><tr><th>Kind</th><th>Status</th><th>Reason</th><th class=\"num\">Count</th></tr></thead>\n<tbody>\n");
            foreach (var c in s.Counts)
            {
                html.Raw("<tr><td>").Text(c.Kind.ToString()).Raw("</td><td>").Text(c.Status).Raw("</td><td>").Text(c.Reason ?? "").Raw("</td><td class=\"num\">")
                    .Text(c.Count.ToString(CultureInfo.InvariantCulture)).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void Runs(HtmlBuilder html, IReadOnlyList<JournalRun> runs)
        {
            html.Raw("<section id=\"runs\">\n<h2>Runs</h2>\n<p>Every run that wrote to this journal: a stopped run resumed by the same command is the next run. ")
                .Raw("Ran by is the account and machine the run was started from, where the journal records it.</p>\n");
            html.Raw("<table>\n<thead><tr><th class=\"num\">Run</th><th>Run id</th><th>Ran by</th><th>Started</th><th>Last record</th><th>Active time</th><th>Ended</th><th>From</th><th>To</th></tr></thead>\n<tbody>\n");
            foreach (var run in runs)
            {
                html.Raw("<tr><td class=\"num\">").Text(run.Number.ToString(CultureInfo.InvariantCulture)).Raw("</td><td class=\"id\">").Text(run.RunId ?? "not recorded")
                    .Raw("</td><td data-metric=\"RanBy\">").Text(run.RanBy ?? "not recorded").Raw("</td><td>").Text(Time(run.Started)).Raw("</td><td>").Text(Time(run.LastRecordAt)).Raw("</td><td>").Text(Duration(run.ActiveTime))
                    .Raw("</td><td>").Text(run.Completed ? "completed" : "stopped").Raw("</td><td>").Text(Skus(run.From)).Raw("</td><td>").Text(Skus(run.To)).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void Chart(HtmlBuilder html, MovesOverTime moves)
        {
            html.Raw("<section id=\"chart\">\n<h2>Users moved over time</h2>\n");
            html.Raw("<p>The running count of users whose final status is Moved (").Metric("ChartTotal", moves.Total.ToString(CultureInfo.InvariantCulture))
                .Raw("), at the time each result was written. The journal does not record Graph's throttling itself: shaded in orange are ")
                .Metric("Pauses", moves.Pauses.Count.ToString(CultureInfo.InvariantCulture))
                .Raw(" stretches within a run with no user result for at least ").Text(MovesOverTime.MinimumPause.TotalSeconds.ToString(CultureInfo.InvariantCulture))
                .Raw(" s and ").Text(MovesOverTime.PauseFactor.ToString(CultureInfo.InvariantCulture))
                .Raw(" times the run's typical interval (throttling, a retry wait, or Entra processing a group); in grey the time between runs.</p>\n");
            SvgChart.Write(html, moves);
            if (moves.Pauses.Count > 0)
            {
                html.Raw("<table class=\"pauses\">\n<thead><tr><th>Pause from</th><th>To</th><th>Length</th></tr></thead>\n<tbody>\n");
                foreach (var pause in moves.Pauses)
                {
                    html.Raw("<tr><td>").Text(Time(pause.From)).Raw("</td><td>").Text(Time(pause.To)).Raw("</td><td>").Text(Duration(pause.Duration)).Raw("</td></tr>\n");
                }

                html.Raw("</tbody>\n</table>\n");
            }

            html.Raw("</section>\n");
        }

        private static void Groups(HtmlBuilder html, IReadOnlyList<GroupReportRow> groups)
        {
            html.Raw("<section id=\"groups\">\n<h2>Groups</h2>\n");
            if (groups.Count == 0)
            {
                html.Raw("<p>The journal records no group.</p>\n</section>\n");
                return;
            }

            html.Raw("<p>One call per group swaps the license; Entra then processes the members. Sent is when the swap was sent, processed when its members were last verified.</p>\n");
            html.Raw("<table>\n<thead><tr><th>Group</th><th>Status</th><th>Sent</th><th>Processed</th><th class=\"num\">Members</th><th class=\"num\">Members failed</th><th>Member outcomes</th><th>Message</th></tr></thead>\n<tbody>\n");
            foreach (var g in groups)
            {
                var r = g.Record;
                // A journaled group name is usually its label, "Name (id)": the id is shown apart only when it is not in it.
                var named = !string.IsNullOrEmpty(r.GroupName) && r.GroupId != null && r.GroupName!.Contains(r.GroupId);
                html.Raw("<tr data-group=\"").Text(r.GroupId ?? "").Raw("\"><td>").Text(r.GroupName ?? "");
                if (!named)
                {
                    html.Raw("<br><span class=\"id\">").Text(r.GroupId ?? "").Raw("</span>");
                }

                html.Raw("</td><td>")
                    .Text(r.Status).Raw("</td><td>").Text(g.SentAt.HasValue ? Time(g.SentAt.Value) : "not sent").Raw("</td><td>")
                    .Text(g.ProcessedAt.HasValue ? Time(g.ProcessedAt.Value) : "not verified").Raw("</td><td class=\"num\">")
                    .Text(r.Members?.ToString(CultureInfo.InvariantCulture) ?? "").Raw("</td><td class=\"num\">").Text(r.MembersFailed?.ToString(CultureInfo.InvariantCulture) ?? "")
                    .Raw("</td><td>").Text(g.MemberOutcomes.Count == 0 ? "no member result recorded" : string.Join(", ", g.MemberOutcomes.Select(o => $"{o.Key} {o.Value}")))
                    .Raw("</td><td>").Text(r.Message ?? "").Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void Findings(HtmlBuilder html, IReadOnlyList<JournalRun> runs)
        {
            html.Raw("<section id=\"findings\">\n<h2>Findings accepted</h2>\n<p>The findings each run was told to accept (-AcceptFinding): ")
                .Raw("a blocker accepted lets the run start, GroupMemberConflicts accepted swaps such groups anyway. ")
                .Raw("Test-E4UpgradeEligibility shows the findings of the tenant as it is now.</p>\n<ul>\n");
            foreach (var run in runs)
            {
                // Journals written before the run record carried these fields have neither; say so rather than "none".
                var accepted = run.AcceptedFindings.Count > 0 ? string.Join(", ", run.AcceptedFindings)
                    : run.RanBy == null ? "not recorded in this journal" : "none";
                html.Raw("<li>Run ").Text(run.Number.ToString(CultureInfo.InvariantCulture)).Raw(": <span data-metric=\"AcceptedFindings\">").Text(accepted).Raw("</span></li>\n");
            }

            html.Raw("</ul>\n</section>\n");
        }

        private static void Failures(HtmlBuilder html, IReadOnlyList<FailureReportRow> failures)
        {
            html.Raw("<section id=\"failures\">\n<h2>Not moved, with the next step (").Metric("NotMoved", failures.Count.ToString(CultureInfo.InvariantCulture)).Raw(")</h2>\n");
            if (failures.Count == 0)
            {
                html.Raw("<p>Every user and group the journal names was moved.</p>\n</section>\n");
                return;
            }

            html.Raw("<table>\n<thead><tr><th>User or group</th><th>Status</th><th>Reason</th><th>Time</th><th>Message</th><th>Next step</th></tr></thead>\n<tbody>\n");
            foreach (var f in failures)
            {
                var r = f.Record;
                var name = r.Kind == ReportRecordKind.Group ? $"Group {r.GroupName} ({r.GroupId})"
                    : (r.UserPrincipalName ?? r.UserId ?? "") + (r.GroupId == null ? "" : $" (member of {r.GroupName ?? r.GroupId})");
                html.Raw("<tr data-status=\"").Text(r.Status).Raw("\"><td>").Text(name).Raw("</td><td>").Text(r.Status).Raw("</td><td>").Text(r.Reason ?? "")
                    .Raw("</td><td>").Text(Time(r.Time)).Raw("</td><td>").Text(r.Message ?? "").Raw("</td><td>").Text(f.NextStep).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void Problems(HtmlBuilder html, IReadOnlyList<JournalReadProblem> problems)
        {
            if (problems.Count == 0)
            {
                return;
            }

            html.Raw("<section id=\"problems\">\n<h2>Lines of the journal that could not be read (").Metric("Problems", problems.Count.ToString(CultureInfo.InvariantCulture)).Raw(")</h2>\n<ul>\n");
            foreach (var p in problems)
            {
                html.Raw("<li>").Text($"{p.ErrorId}, line {p.Line}: {p.Message}").Raw("</li>\n");
            }

            html.Raw("</ul>\n</section>\n");
        }

        private static void Fact(HtmlBuilder html, string label, string value, string? metric)
        {
            html.Raw("<dt>").Text(label).Raw("</dt><dd");
            if (metric != null)
            {
                html.Raw(" data-metric=\"").Text(metric).Raw("\"");
            }

            html.Raw(">").Text(value).Raw("</dd>\n");
        }

        private static void Tile(HtmlBuilder html, string label, int value, string metric) =>
            html.Raw("<div class=\"tile\"><span class=\"value\" data-metric=\"").Text(metric).Raw("\">").Text(value.ToString(CultureInfo.InvariantCulture))
                .Raw("</span><span class=\"label\">").Text(label).Raw("</span></div>\n");

        internal static string Skus(IReadOnlyList<string> skus) => skus.Count == 0 ? "not recorded" : string.Join(" + ", skus);

        internal static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

        internal static string Duration(TimeSpan span) =>
            span.TotalHours >= 1
                ? ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + span.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture)
                : span.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>Appends to a TextWriter: raw markup from this code, and encoded text from anywhere else.</summary>
    internal sealed class HtmlBuilder
    {
        private readonly TextWriter _writer;

        public HtmlBuilder(TextWriter writer) => _writer = writer;

        public HtmlBuilder Raw(string markup)
        {
            _writer.Write(markup);
            return this;
        }

        /// <summary>Encodes &lt; &gt; &amp; and both quotes, so the text is safe in an element and in a quoted attribute.</summary>
        public HtmlBuilder Text(string? text)
        {
            _writer.Write(WebUtility.HtmlEncode(text ?? ""));
            return this;
        }

        public HtmlBuilder Metric(string name, string value) =>
            Raw("<span data-metric=\"").Text(name).Raw("\">").Text(value).Raw("</span>");
    }
}
