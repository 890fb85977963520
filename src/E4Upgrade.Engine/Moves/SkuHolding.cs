using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>What one user holds of one SKU: held at all, held directly, from which group, with which disabled plans.</summary>
    internal sealed class SkuHolding
    {
        private SkuHolding(bool held, bool direct, string? groupId, IReadOnlyList<Guid> disabledPlans)
        {
            Held = held;
            Direct = direct;
            GroupId = groupId;
            DisabledPlans = disabledPlans;
        }

        public bool Held { get; }
        /// <summary>Assigned to the user directly (possibly also through a group).</summary>
        public bool Direct { get; }
        /// <summary>A group the SKU is inherited from, if any.</summary>
        public string? GroupId { get; }
        /// <summary>Disabled plans of the direct assignment (or of the assigned license when no states were read).</summary>
        public IReadOnlyList<Guid> DisabledPlans { get; }

        public static SkuHolding Of(UserLicenses user, Guid skuId)
        {
            var assigned = user.AssignedLicenses.FirstOrDefault(l => l.SkuId == skuId);
            var states = user.AssignmentStates.Where(s => s.SkuId == skuId).ToList();
            var directState = states.FirstOrDefault(s => s.IsDirect);
            var groupState = states.FirstOrDefault(s => !s.IsDirect);
            var held = assigned != null || states.Count > 0;
            // Without assignment states for the SKU, an assigned license is taken as direct: if it is not,
            // Graph answers "inherited from a group" and the user is reported so.
            var direct = directState != null || (states.Count == 0 && assigned != null);
            IReadOnlyList<Guid> disabled;
            if (groupState == null && assigned != null)
            {
                disabled = assigned.DisabledPlans;
            }
            else if (directState != null)
            {
                disabled = directState.DisabledPlans;
            }
            else
            {
                disabled = assigned?.DisabledPlans ?? Array.Empty<Guid>();
            }

            return new SkuHolding(held, direct, groupState?.AssignedByGroup, disabled);
        }
    }
}
