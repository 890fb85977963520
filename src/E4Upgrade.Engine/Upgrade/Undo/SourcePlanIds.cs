using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The source's disabled plans by id, from the names a move result reports (the move engine names them from the same
    /// SKU: a plan it does not list is named by its id). The journal keeps the ids so an undo gives back exactly these.
    /// </summary>
    internal static class SourcePlanIds
    {
        /// <summary>The ids; null when a name is neither a plan of the source nor an id (then nothing is recorded, and undo refuses the user).</summary>
        public static IReadOnlyList<Guid>? FromNames(SkuInfo source, IReadOnlyList<string> names)
        {
            var ids = new List<Guid>();
            foreach (var name in names)
            {
                var plan = source.ServicePlans.Where(p => string.Equals(p.ServicePlanName, name, StringComparison.Ordinal)).ToList();
                if (plan.Count == 1)
                {
                    ids.Add(plan[0].ServicePlanId);
                }
                else if (plan.Count == 0 && Guid.TryParse(name, out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    return null;
                }
            }

            return ids.Distinct().ToList();
        }
    }
}
