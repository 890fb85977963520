using System;
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
        public static string Find(string? tenant, string? sourceSku, string targetSku) => Find(UpgradeJournal.DefaultDirectory(), tenant, sourceSku, targetSku);

        internal static string Find(string directory, string? tenant, string? sourceSku, string targetSku)
        {
            if (string.IsNullOrWhiteSpace(targetSku)) throw new ArgumentException("A target SKU is required.", nameof(targetSku));
            var pattern = Part(tenant) + "-" + Part(sourceSku) + "-" + UpgradeJournal.SafeName(targetSku) + ".jsonl";
            var matches = Directory.Exists(directory)
                ? Directory.GetFiles(directory, pattern).OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToList()
                : new System.Collections.Generic.List<string>();
            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count == 0)
            {
                throw new E4UpgradeException(ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound,
                    $"No journal matches {pattern} in {directory}. Pass -JournalPath, or the -TenantId and -TargetSku of the run.");
            }

            throw new E4UpgradeException(ErrorIds.JournalAmbiguous, ErrorCategoryNames.InvalidArgument,
                $"Several journals match {pattern} in {directory}: {string.Join(", ", matches.Select(Path.GetFileName))}. Pass -JournalPath, or -TenantId and -SourceSku to pick one.");
        }

        private static string Part(string? value) => string.IsNullOrWhiteSpace(value) ? "*" : UpgradeJournal.SafeName(value!);
    }
}
