using System;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// Whether a target can replace a source on a user at all: one home for Move-UserLicense's plan (which throws) and
    /// the upgrade's eligibility (which reports a finding).
    /// </summary>
    internal static class MoveTargetRules
    {
        /// <summary>The first reason the target cannot replace the source on users (a finding code and its message), or null.</summary>
        public static (string Code, string Message)? Problem(SkuInfo source, CompoundTarget target)
        {
            if (target.Contains(source.SkuId))
            {
                return (FindingCodes.TargetSameAsSource, $"The source {source.SkuPartNumber} is also a target SKU ({target.PartNumbers}); nothing to move.");
            }

            var notForUsers = target.Skus.FirstOrDefault(t => !string.Equals(t.AppliesTo, "User", StringComparison.OrdinalIgnoreCase));
            if (notForUsers != null)
            {
                return (FindingCodes.TargetNotForUsers, $"{notForUsers.SkuPartNumber} applies to '{notForUsers.AppliesTo}', not to users; it cannot be assigned to a user.");
            }

            return null;
        }
    }
}
