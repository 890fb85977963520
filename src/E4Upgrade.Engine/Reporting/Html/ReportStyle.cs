namespace E4Upgrade.Engine.Reporting
{
    /// <summary>The report's one stylesheet, inline: system fonts only, and a print layout (no shadows, tables that break between rows, colours kept in the chart).</summary>
    internal static class ReportStyle
    {
        public const string Css = @"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .5rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.tiles { display: flex; flex-wrap: wrap; gap: .5rem; }
.tile { border: 1px solid #ccc; border-radius: 4px; padding: .4rem .8rem; min-width: 7rem; }
.tile .value { display: block; font-size: 1.5rem; font-weight: 600; }
.tile .label { font-size: .85rem; color: #444; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin-top: .5rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; }
.id { font-family: ui-monospace, 'Liberation Mono', monospace; font-size: .8rem; color: #444; }
svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
svg .pause { fill: #f5a623; fill-opacity: .35; }
svg .between { fill: #999; fill-opacity: .3; }
svg .line { fill: none; stroke: #0b5cad; stroke-width: 2; }
svg .axis { stroke: #333; stroke-width: 1; }
svg .grid { stroke: #ddd; stroke-width: 1; }
svg text { font-size: 11px; fill: #333; font-family: inherit; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, .tile, svg { break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: #eee; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 15mm; }
}
";
    }
}
