using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// Finds the default journal of a tenant and target (the file Start-E4Upgrade writes without -JournalPath) in
    /// the default journal folder. The source SKU and tenant may be left out when only one journal matches.
    /// </summary>
    public static class JournalLocator
    {
        public static string Find(string? tenant, string? sourceSku, params string[] targetSkus) => Find(UpgradeJournal.DefaultDirectory(), tenant, sourceSku, targetSkus);

        /// <summary>
        /// A journal is named after the suite of its target only, and which of several SKUs is the suite is known only
        /// to Graph: so each SKU named is tried as the name, and with several SKUs only a journal whose run moved to
        /// exactly those SKUs (in any order) counts.
        /// </summary>
        internal static string Find(string directory, string? tenant, string? sourceSku, params string[] targetSkus)
        {
            var targets = (targetSkus ?? Array.Empty<string>()).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
            if (targets.Count == 0) throw new ArgumentException("A target SKU is required.", nameof(targetSkus));
            var patterns = targets.Select(t => Part(tenant) + "-" + Part(sourceSku) + "-" + UpgradeJournal.SafeName(t) + ".jsonl").ToList();
            var matches = Directory.Exists(directory)
                ? patterns.SelectMany(p => Directory.GetFiles(directory, p)).Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToList()
                : new List<string>();
            if (targets.Count > 1)
            {
                matches = matches.Where(m => MovedTo(m, targets)).ToList();
            }

            if (matches.Count == 1)
            {
                return matches[0];
            }

            var described = string.Join(" or ", patterns) + (targets.Count > 1 ? $" for a run to {string.Join(" + ", targets)}" : "");
            if (matches.Count == 0)
            {
                throw new E4UpgradeException(ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound,
                    $"No journal matches {described} in {directory}. Pass -JournalPath, or the -TenantId and -TargetSku of the run.");
            }

            throw new E4UpgradeException(ErrorIds.JournalAmbiguous, ErrorCategoryNames.InvalidArgument,
                $"Several journals match {described} in {directory}: {string.Join(", ", matches.Select(Path.GetFileName))}. Pass -JournalPath, or -TenantId and -SourceSku to pick one.");
        }

        private static bool MovedTo(string path, IReadOnlyList<string> targets)
        {
            try
            {
                var runs = JournalReportReader.Read(path).Runs;
                var to = runs[runs.Count - 1].To;
                return new HashSet<string>(to, StringComparer.OrdinalIgnoreCase).SetEquals(targets);
            }
            catch (E4UpgradeException)
            {
                return false; // not a journal this account can read: not the one asked for
            }
        }

        private static string Part(string? value) => string.IsNullOrWhiteSpace(value) ? "*" : UpgradeJournal.SafeName(value!);
    }
}
