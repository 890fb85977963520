using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Eligibility's side of <see cref="GroupMemberConflicts"/>: for each E4 holder licensed through a group, whether that
    /// group's swap would be refused for them. One pass over the streamed listing, so a usage location is known to be
    /// barred only from the users listed before (the group phase, which lists a group's members first, sees all of them).
    /// </summary>
    internal sealed class GroupConflictScan
    {
        private readonly Guid _sourceSkuId;
        private readonly Func<IReadOnlyList<Guid>, CompoundPlanMapping?> _map;
        private readonly GroupMemberConflicts _conflicts;

        /// <param name="map">A group's disabled E4 plans to the target's (E4HolderScan.Map: cached per distinct set).</param>
        public GroupConflictScan(IReadOnlyList<SkuInfo> skus, Guid sourceSkuId, CompoundTarget target, Func<IReadOnlyList<Guid>, CompoundPlanMapping?> map)
        {
            _sourceSkuId = sourceSkuId;
            _map = map;
            _conflicts = new GroupMemberConflicts(skus, sourceSkuId, target);
        }

        public CappedList Users { get; } = new CappedList(EligibilityFinding.MaxListed);
        public SortedSet<string> Errors { get; } = new SortedSet<string>(StringComparer.Ordinal);
        public SortedSet<string> Plans { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        public string? Example { get; private set; }

        public void Add(UserLicenses user)
        {
            _conflicts.Learn(user);
            var fromGroups = user.AssignmentStates.Where(s => s.SkuId == _sourceSkuId && !s.IsDirect).ToList();
            var conflict = fromGroups.Select(s => _map(s.DisabledPlans)).Where(m => m != null).Select(m => _conflicts.Predict(user, m!.Adds)).FirstOrDefault(c => c != null);
            if (conflict == null)
            {
                return;
            }

            Users.Add(user.Label);
            Errors.Add(conflict.Error);
            Plans.UnionWith(conflict.Plans);
            Example ??= $"{user.Label}: {conflict.Explanation}";
        }
    }
}
