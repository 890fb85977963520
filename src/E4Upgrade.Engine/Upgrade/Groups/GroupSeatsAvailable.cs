using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The free seats of each target SKU the group phase may count on. subscribedSkus' consumedUnits can lag the writes
    /// that changed it (public reports of consumedUnits lagging assignments; Entra's "Designing for eventual consistency":
    /// a successful write does not guarantee that an immediate read reflects it), so the read taken after the direct phase
    /// may still show free the seats that phase just took. The seats are therefore the fewer of that read's and the plan's
    /// read less one seat per user this run moved directly (each took at most one seat of each target SKU).
    /// </summary>
    internal static class GroupSeatsAvailable
    {
        public static IReadOnlyDictionary<Guid, int> Of(CompoundTarget target, IReadOnlyList<SkuInfo> readNow, long movedThisRun) =>
            target.Skus.ToDictionary(
                planned => planned.SkuId,
                planned => Math.Min(
                    readNow.FirstOrDefault(s => s.SkuId == planned.SkuId)?.AvailableUnits ?? 0,
                    (int)Math.Max(0, planned.AvailableUnits - movedThisRun)));
    }
}
