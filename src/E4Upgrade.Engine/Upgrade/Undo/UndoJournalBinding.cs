using System;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Which journal an undo may reverse: one that records a run, in the session's own tenant.</summary>
    internal static class UndoJournalBinding
    {
        /// <summary>
        /// Throws unless <paramref name="existing"/> is a journal's header bound to <paramref name="tenantId"/>: the same
        /// rule as a run continuing it (<see cref="JournalHeader"/>), with the journal's own SKUs, so only the tenant can differ.
        /// </summary>
        public static void Check(JournalHeader? existing, string? tenantId, string location)
        {
            if (existing == null)
            {
                throw JournalFormat.NotAJournal(location, "it holds no run");
            }

            var undo = new JournalHeader
            {
                TenantId = tenantId,
                SourceSku = existing.SourceSku,
                SourceSkuId = existing.SourceSkuId,
                TargetSku = existing.TargetSku,
                TargetSkuId = existing.TargetSkuId,
                TargetAddOnSkuIds = existing.TargetAddOnSkuIds,
            };
            undo.EnsureContinues(existing, location);
        }

        public static E4UpgradeException NotFound(string location) =>
            new E4UpgradeException(ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound,
                $"The journal '{location}' does not exist; there is no run to undo. Start-E4Upgrade's summary shows the JournalPath of a run; by default journals are in {UpgradeJournal.DefaultDirectory()}.");
    }
}
