using System;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Microsoft names tiers of one service with a trailing number (FORMS_PLAN_E3 / FORMS_PLAN_E5, BPOS_S_TODO_2 /
    /// BPOS_S_TODO_3, FLOW_O365_P2 / FLOW_O365_P3; doc section 6): the stem is the service, the number its tier.
    /// </summary>
    internal static class PlanTier
    {
        public static bool Split(string name, out string stem, out int tier)
        {
            var end = name.Length;
            while (end > 0 && char.IsDigit(name[end - 1]))
            {
                end--;
            }

            stem = name.Substring(0, end);
            tier = 0;
            return end < name.Length && end > 0 && int.TryParse(name.Substring(end), out tier);
        }

        /// <summary>True when <paramref name="candidate"/> is the same service as <paramref name="plan"/> at an equal or higher tier.</summary>
        public static bool SameServiceAtLeast(string plan, string candidate) =>
            Split(plan, out var stem, out var tier)
            && Split(candidate, out var candidateStem, out var candidateTier)
            && string.Equals(stem, candidateStem, StringComparison.OrdinalIgnoreCase)
            && candidateTier >= tier;
    }
}
