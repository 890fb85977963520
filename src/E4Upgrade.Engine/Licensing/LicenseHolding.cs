using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// The one answer to "does this user hold this SKU, how, and with which disabled plans?", read from
    /// assignedLicenses and licenseAssignmentStates. Used by the move decision, eligibility, the group swap's seat
    /// check and Stop-E4Subscription, so they cannot disagree.
    /// An assignment in an error state (CountViolation, MutuallyExclusiveViolation, ...), or whose state is reported and
    /// is not Active (Disabled, Error, ActiveWithError; https://learn.microsoft.com/en-us/graph/api/resources/licenseassignmentstate),
    /// is not holding the SKU: the user does not have its services, so it neither confirms a move (a user's or a group
    /// member's) nor spares a seat. A state that is not reported at all is taken as working.
    /// </summary>
    internal sealed class LicenseHolding
    {
        private static readonly LicenseHolding None = new LicenseHolding(false, Array.Empty<string>(), Array.Empty<Guid>(), false, Array.Empty<Guid>());

        private LicenseHolding(bool direct, IReadOnlyList<string> groupIds, IReadOnlyList<Guid> disabledPlans, bool inError, IReadOnlyList<Guid> unusedPlans)
        {
            Direct = direct;
            GroupIds = groupIds;
            DisabledPlans = disabledPlans;
            InError = inError;
            UnusedPlans = unusedPlans;
        }

        /// <summary>Held and working, directly or through a group.</summary>
        public bool Held => Direct || Inherited;
        /// <summary>Assigned to the user directly (possibly also through a group).</summary>
        public bool Direct { get; }
        /// <summary>Groups the SKU is inherited from (working assignments only).</summary>
        public IReadOnlyList<string> GroupIds { get; }
        public bool Inherited => GroupIds.Count > 0;
        /// <summary>The first group the SKU is inherited from, if any.</summary>
        public string? GroupId => GroupIds.Count > 0 ? GroupIds[0] : null;
        /// <summary>Disabled plans of the direct assignment (or of the assigned license when there is no direct one).</summary>
        public IReadOnlyList<Guid> DisabledPlans { get; }
        /// <summary>Some assignment of the SKU to the user is in an error state.</summary>
        public bool InError { get; }
        /// <summary>Plans disabled in every working assignment (direct and through groups): the plans the user does not have today.</summary>
        public IReadOnlyList<Guid> UnusedPlans { get; }

        public static LicenseHolding Of(UserLicenses user, Guid skuId)
        {
            var assigned = user.AssignedLicenses.FirstOrDefault(a => a.SkuId == skuId);
            var states = user.AssignmentStates.Where(s => s.SkuId == skuId).ToList();
            if (states.Count == 0)
            {
                // Without assignment states an assigned license can only be taken as direct and working: if it is
                // inherited after all, Graph answers "inherited from a group" and the user is reported so.
                return assigned == null ? None : new LicenseHolding(true, Array.Empty<string>(), assigned.DisabledPlans, false, assigned.DisabledPlans);
            }

            var working = states.Where(Working).ToList();
            var directState = working.FirstOrDefault(s => s.IsDirect);
            var groups = working.Where(s => !s.IsDirect).Select(s => s.AssignedByGroup!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            IReadOnlyList<Guid> disabled;
            if (groups.Count == 0 && assigned != null)
            {
                disabled = assigned.DisabledPlans;
            }
            else if (directState != null)
            {
                disabled = directState.DisabledPlans;
            }
            else
            {
                disabled = assigned?.DisabledPlans ?? (IReadOnlyList<Guid>)Array.Empty<Guid>();
            }

            IReadOnlyList<Guid> unused = working.Count == 0
                ? Array.Empty<Guid>()
                : working.Select(s => (IEnumerable<Guid>)s.DisabledPlans).Aggregate((a, b) => a.Intersect(b)).ToList();
            return new LicenseHolding(directState != null, groups, disabled, states.Any(s => s.HasError), unused);
        }

        /// <summary>
        /// Who needs a seat: the SKUs of <paramref name="skuIds"/> the user does not hold (working). The one answer for
        /// the move decision, eligibility's seat count and the group swap's seat check.
        /// </summary>
        public static IReadOnlyList<Guid> SeatsNeeded(UserLicenses user, IEnumerable<Guid> skuIds) =>
            skuIds.Where(sku => !Of(user, sku).Held).ToList();

        /// <summary>Active, or no state reported, and no error: the assignment is in effect.</summary>
        internal static bool Working(LicenseAssignment state) =>
            !state.HasError && (string.IsNullOrEmpty(state.State) || string.Equals(state.State, "Active", StringComparison.OrdinalIgnoreCase));
    }
}
