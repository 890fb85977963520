using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>How one user holds the source SKU, read from assignedLicenses and licenseAssignmentStates.</summary>
    internal sealed class E4Holding
    {
        private E4Holding(bool direct, IReadOnlyList<string> groupIds, IReadOnlyList<Guid> directDisabledPlans, bool holdsTarget)
        {
            Direct = direct;
            GroupIds = groupIds;
            DirectDisabledPlans = directDisabledPlans;
            HoldsTarget = holdsTarget;
        }

        public bool Direct { get; }
        public IReadOnlyList<string> GroupIds { get; }
        public bool Inherited => GroupIds.Count > 0;
        public bool Holds => Direct || Inherited;
        public IReadOnlyList<Guid> DirectDisabledPlans { get; }
        public bool HoldsTarget { get; }

        public static E4Holding Of(UserLicenses user, Guid sourceSkuId, Guid? targetSkuId)
        {
            var states = user.AssignmentStates.Where(s => s.SkuId == sourceSkuId).ToList();
            var assigned = user.AssignedLicenses.FirstOrDefault(a => a.SkuId == sourceSkuId);
            var directState = states.FirstOrDefault(s => s.IsDirect);

            // Without licenseAssignmentStates an assigned license can only be taken as direct.
            var direct = directState != null || (states.Count == 0 && assigned != null);
            var groups = states.Where(s => !s.IsDirect).Select(s => s.AssignedByGroup!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var disabled = directState != null && directState.DisabledPlans.Count > 0
                ? directState.DisabledPlans
                : assigned?.DisabledPlans ?? (IReadOnlyList<Guid>)Array.Empty<Guid>();
            var holdsTarget = targetSkuId.HasValue
                && (user.AssignedLicenses.Any(a => a.SkuId == targetSkuId.Value)
                    || user.AssignmentStates.Any(s => s.SkuId == targetSkuId.Value && !s.HasError));
            return new E4Holding(direct, groups, direct ? disabled : Array.Empty<Guid>(), holdsTarget);
        }
    }

    /// <summary>
    /// Streams the E4 holders once and keeps only counters and capped lists, so 100,000 users cost seconds and
    /// little memory. The dropped-plan lookup is cached per distinct disabled-plan set.
    /// </summary>
    internal sealed class E4HolderScan
    {
        private readonly Guid _sourceSkuId;
        private readonly Guid? _targetSkuId;
        private readonly Func<IReadOnlyList<Guid>, IReadOnlyList<string>>? _droppedPlans;
        private readonly Dictionary<string, IReadOnlyList<string>> _droppedCache = new Dictionary<string, IReadOnlyList<string>>();

        public E4HolderScan(Guid sourceSkuId, Guid? targetSkuId, Func<IReadOnlyList<Guid>, IReadOnlyList<string>>? droppedPlans)
        {
            _sourceSkuId = sourceSkuId;
            _targetSkuId = targetSkuId;
            _droppedPlans = droppedPlans;
        }

        public int Total { get; private set; }
        public int Direct { get; private set; }
        public int Inherited { get; private set; }
        public int NeedingTargetSeat { get; private set; }
        public CappedList DirectWithoutUsageLocation { get; } = new CappedList(EligibilityFinding.MaxListed);
        public CappedList InheritedWithoutUsageLocation { get; } = new CappedList(EligibilityFinding.MaxListed);
        public CappedList UsersLosingDisabledPlans { get; } = new CappedList(EligibilityFinding.MaxListed);
        public SortedSet<string> DroppedDisabledPlanNames { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);

        public void Add(UserLicenses user)
        {
            var holding = E4Holding.Of(user, _sourceSkuId, _targetSkuId);
            if (!holding.Holds)
            {
                return;
            }

            Total++;
            var name = DisplayName(user);
            if (!holding.HoldsTarget)
            {
                NeedingTargetSeat++;
            }

            if (holding.Inherited)
            {
                Inherited++;
            }

            var missingLocation = string.IsNullOrWhiteSpace(user.UsageLocation);
            if (holding.Direct)
            {
                Direct++;
                if (missingLocation)
                {
                    DirectWithoutUsageLocation.Add(name);
                }

                var dropped = Dropped(holding.DirectDisabledPlans);
                if (dropped.Count > 0)
                {
                    UsersLosingDisabledPlans.Add(name);
                    DroppedDisabledPlanNames.UnionWith(dropped);
                }
            }
            else if (missingLocation)
            {
                InheritedWithoutUsageLocation.Add(name);
            }
        }

        public IReadOnlyList<string> Dropped(IReadOnlyList<Guid> disabledPlans)
        {
            if (disabledPlans.Count == 0 || _droppedPlans == null)
            {
                return Array.Empty<string>();
            }

            var key = string.Join(",", disabledPlans.Select(p => p.ToString("N")).OrderBy(p => p, StringComparer.Ordinal));
            if (!_droppedCache.TryGetValue(key, out var dropped))
            {
                dropped = _droppedPlans(disabledPlans);
                _droppedCache[key] = dropped;
            }

            return dropped;
        }

        internal static string DisplayName(UserLicenses user) =>
            string.IsNullOrEmpty(user.UserPrincipalName) ? user.Id : user.UserPrincipalName;
    }
}
