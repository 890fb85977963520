using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
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
            var holding = LicenseHolding.Of(user, _sourceSkuId);
            if (!holding.Held)
            {
                return;
            }

            Total++;
            var name = DisplayName(user);
            if (!_targetSkuId.HasValue || !LicenseHolding.Of(user, _targetSkuId.Value).Held)
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

                var dropped = Dropped(holding.DisabledPlans);
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
