using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>The moves over time as inline SVG: a step line of the running count, pauses and the time between runs shaded.</summary>
    internal static class SvgChart
    {
        private const double Width = 800;
        private const double Height = 280;
        private const double Left = 60;
        private const double Right = 20;
        private const double Top = 20;
        private const double Bottom = 40;

        public static void Write(HtmlBuilder html, MovesOverTime moves)
        {
            var span = Math.Max(1.0, (moves.End - moves.Start).TotalSeconds);
            var max = Math.Max(1, moves.Total);
            double X(DateTimeOffset t) => Left + (Width - Left - Right) * Math.Min(1, Math.Max(0, (t - moves.Start).TotalSeconds / span));
            double Y(int count) => Height - Bottom - (Height - Top - Bottom) * count / max;

            html.Raw("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Raw(N(Width)).Raw(" ").Raw(N(Height)).Raw("\" width=\"").Raw(N(Width))
                .Raw("\" height=\"").Raw(N(Height)).Raw("\">\n<title>").Text($"{moves.Total} users moved between {HtmlReportWriter.Time(moves.Start)} and {HtmlReportWriter.Time(moves.End)}").Raw("</title>\n");
            foreach (var gap in moves.BetweenRuns)
            {
                Band(html, "between", X(gap.From), X(gap.To), $"Between runs: {HtmlReportWriter.Time(gap.From)} to {HtmlReportWriter.Time(gap.To)}");
            }

            foreach (var pause in moves.Pauses)
            {
                Band(html, "pause", X(pause.From), X(pause.To), $"No result for {HtmlReportWriter.Duration(pause.Duration)} from {HtmlReportWriter.Time(pause.From)}");
            }

            foreach (var count in new[] { 0, max / 2, max }.Distinct())
            {
                html.Raw("<line class=\"grid\" x1=\"").Raw(N(Left)).Raw("\" x2=\"").Raw(N(Width - Right)).Raw("\" y1=\"").Raw(N(Y(count))).Raw("\" y2=\"").Raw(N(Y(count))).Raw("\"/>")
                    .Raw("<text x=\"").Raw(N(Left - 6)).Raw("\" y=\"").Raw(N(Y(count) + 4)).Raw("\" text-anchor=\"end\">").Text(count.ToString(CultureInfo.InvariantCulture)).Raw("</text>\n");
            }

            html.Raw("<line class=\"axis\" x1=\"").Raw(N(Left)).Raw("\" x2=\"").Raw(N(Width - Right)).Raw("\" y1=\"").Raw(N(Height - Bottom)).Raw("\" y2=\"").Raw(N(Height - Bottom)).Raw("\"/>\n");
            foreach (var (fraction, anchor) in new[] { (0.0, "start"), (0.5, "middle"), (1.0, "end") })
            {
                var t = moves.Start + TimeSpan.FromSeconds(span * fraction);
                html.Raw("<text x=\"").Raw(N(X(t))).Raw("\" y=\"").Raw(N(Height - Bottom + 16)).Raw("\" text-anchor=\"").Raw(anchor).Raw("\">")
                    .Text(t.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Raw("</text>\n");
            }

            html.Raw("<text x=\"").Raw(N(Width - Right)).Raw("\" y=\"").Raw(N(Height - 6)).Raw("\" text-anchor=\"end\">time (UTC)</text>\n");
            var points = new StringBuilder();
            points.Append(N(X(moves.Start))).Append(',').Append(N(Y(0)));
            var previous = 0;
            foreach (var p in moves.Points)
            {
                var x = N(X(p.Time));
                points.Append(' ').Append(x).Append(',').Append(N(Y(previous))).Append(' ').Append(x).Append(',').Append(N(Y(p.Count)));
                previous = p.Count;
            }

            points.Append(' ').Append(N(X(moves.End))).Append(',').Append(N(Y(previous)));
            html.Raw("<polyline class=\"line\" points=\"").Raw(points.ToString()).Raw("\"/>\n</svg>\n");
        }

        private static void Band(HtmlBuilder html, string kind, double x1, double x2, string title) =>
            html.Raw("<rect class=\"").Raw(kind).Raw("\" x=\"").Raw(N(x1)).Raw("\" y=\"").Raw(N(Top)).Raw("\" width=\"").Raw(N(Math.Max(1, x2 - x1)))
                .Raw("\" height=\"").Raw(N(Height - Top - Bottom)).Raw("\"><title>").Text(title).Raw("</title></rect>\n");

        private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
