using System.Globalization;
using System.Linq;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// The report's undo section, shown when Undo-E4Upgrade ran on the journal: each undo with its times and who ran it,
    /// the counts (data-metric named after <see cref="JournalReportSummary"/>'s undo properties), and every user and group
    /// an undo left as it was or could not give back, with the reason.
    /// </summary>
    internal static class UndoSection
    {
        public static void Write(HtmlBuilder html, JournalReport report, JournalReportSummary s)
        {
            var undo = report.Undo;
            if (undo.Runs.Count == 0)
            {
                return;
            }

            html.Raw("<section id=\"undo\">\n<h2>Undo</h2>\n<p>Undo-E4Upgrade gave users and groups their source license back, with the plans they had disabled before the run, ")
                .Raw("and removed the target, in one call each. Users and groups changed since the run were left as they were.</p>\n<div class=\"tiles\">\n");
            Tile(html, "Undone", s.Undone, "Undone");
            Tile(html, "Skipped", s.UndoSkipped, "UndoSkipped");
            Tile(html, "Failed or unconfirmed", s.UndoFailed, "UndoFailed");
            Tile(html, "Undo runs", s.UndoRuns, "UndoRuns");
            html.Raw("</div>\n<table>\n<thead><tr><th class=\"num\">Undo</th><th>Run id</th><th>Ran by</th><th>Started</th><th>Last record</th><th>Ended</th></tr></thead>\n<tbody>\n");
            foreach (var run in undo.Runs)
            {
                html.Raw("<tr><td class=\"num\">").Text(run.Number.ToString(CultureInfo.InvariantCulture)).Raw("</td><td class=\"id\">").Text(run.RunId ?? "")
                    .Raw("</td><td>").Text(run.RanBy ?? "not recorded").Raw("</td><td>").Text(HtmlReportWriter.Time(run.Started)).Raw("</td><td>").Text(HtmlReportWriter.Time(run.LastRecordAt))
                    .Raw("</td><td>").Text(run.Finished ? "finished" : "stopped").Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n");
            var notUndone = undo.Entries.Where(e => !UndoStatuses.IsDone(e.Status)).ToList();
            if (notUndone.Count == 0)
            {
                html.Raw("<p>Every user and group the undo took was given back its source.</p>\n</section>\n");
                return;
            }

            html.Raw("<h3>Not given back</h3>\n<table>\n<thead><tr><th>User or group</th><th>Status</th><th>Reason</th><th>Time</th><th>Message</th></tr></thead>\n<tbody>\n");
            foreach (var e in notUndone)
            {
                var name = e.Kind == UndoTargetKind.Group ? "Group " + (e.Name ?? e.Id) : e.Name ?? e.Id;
                html.Raw("<tr data-undo-status=\"").Text(e.Status).Raw("\"><td>").Text(name).Raw("</td><td>").Text(e.Status).Raw("</td><td>").Text(e.Reason ?? "")
                    .Raw("</td><td>").Text(HtmlReportWriter.Time(e.Time)).Raw("</td><td>").Text(e.Message ?? "").Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void Tile(HtmlBuilder html, string label, int value, string metric) =>
            html.Raw("<div class=\"tile\"><span class=\"value\" data-metric=\"").Text(metric).Raw("\">").Text(value.ToString(CultureInfo.InvariantCulture))
                .Raw("</span><span class=\"label\">").Text(label).Raw("</span></div>\n");
    }
}
