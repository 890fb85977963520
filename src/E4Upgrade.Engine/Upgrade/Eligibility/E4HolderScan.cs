using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Streams the E4 holders once and keeps only counters and capped lists, so 100,000 users cost seconds and
    /// little memory. Plan mappings are cached per distinct disabled-plan set.
    /// </summary>
    internal sealed class E4HolderScan
    {
        private readonly Guid _sourceSkuId;
        private readonly CompoundTarget? _target;
        private readonly CompoundPlanMapper? _mapper;
        private readonly RedundantAddOns? _addOns;
        private readonly IReadOnlyList<LostPlan> _lost;
        private readonly Dictionary<string, CompoundPlanMapping> _mappingCache = new Dictionary<string, CompoundPlanMapping>();
        private readonly ISet<string>? _groupsAssigningSource;

        /// <param name="groupsAssigningSource">
        /// The groups that still assign the source. A user holding it only through other groups is in a group that was
        /// swapped already (an earlier run): Entra grants the target from that group on its own, so no seat is counted for
        /// them here. Such a user may also be shown by a read from before Entra processed them (replication lag) while
        /// consumedUnits already counts their seat. Null: count every holder.
        /// </param>
        public E4HolderScan(Guid sourceSkuId, CompoundTarget? target, CompoundPlanMapper? mapper, RedundantAddOns? addOns, IReadOnlyList<LostPlan>? lost,
            ISet<string>? groupsAssigningSource = null)
        {
            _groupsAssigningSource = groupsAssigningSource;
            _sourceSkuId = sourceSkuId;
            _target = target;
            _mapper = mapper;
            _addOns = addOns;
            _lost = lost ?? Array.Empty<LostPlan>();
            foreach (var sku in target?.Skus ?? Array.Empty<SkuInfo>())
            {
                NeedingSeatBySku[sku.SkuId] = 0;
            }

            foreach (var plan in _lost)
            {
                UsersLosing[plan.PlanId] = 0;
            }
        }

        public int Total { get; private set; }
        public int Direct { get; private set; }
        public int Inherited { get; private set; }
        /// <summary>Holders who lack the suite: the seats the upgrade needs of it.</summary>
        public int NeedingTargetSeat { get; private set; }
        /// <summary>Per target SKU, the holders who do not hold it yet.</summary>
        public Dictionary<Guid, int> NeedingSeatBySku { get; } = new Dictionary<Guid, int>();
        /// <summary>Per lost plan, the holders who have it enabled today.</summary>
        public Dictionary<Guid, int> UsersLosing { get; } = new Dictionary<Guid, int>();
        public CappedList DirectWithoutUsageLocation { get; } = new CappedList(EligibilityFinding.MaxListed);
        public CappedList InheritedWithoutUsageLocation { get; } = new CappedList(EligibilityFinding.MaxListed);
        public CappedList UsersLosingDisabledPlans { get; } = new CappedList(EligibilityFinding.MaxListed);
        public SortedSet<string> DroppedDisabledPlanNames { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        public CappedList UsersWithAdjustedPlans { get; } = new CappedList(EligibilityFinding.MaxListed);
        public SortedSet<string> AdjustedPlanNames { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Redundant add-on SKU id to the direct E4 users who hold it and could drop it.</summary>
        public Dictionary<Guid, CappedList> RedundantAddOnUsers { get; } = new Dictionary<Guid, CappedList>();
        /// <summary>Redundant add-on SKU id to the number of users who keep it (one of its plans disabled in the target for them).</summary>
        public Dictionary<Guid, int> RedundantAddOnsKept { get; } = new Dictionary<Guid, int>();

        public void Add(UserLicenses user)
        {
            var holding = LicenseHolding.Of(user, _sourceSkuId);
            if (!holding.Held)
            {
                return;
            }

            Total++;
            var name = user.Label;
            if (!HeldOnlyThroughSwappedGroups(user))
            {
                CountSeats(user);
            }

            CountLostPlans(holding);
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

                var mapping = Map(holding.DisabledPlans);
                if (mapping != null)
                {
                    Note(mapping, name);
                    CountAddOns(user, mapping);
                }
            }
            else if (missingLocation)
            {
                InheritedWithoutUsageLocation.Add(name);
            }
        }

        /// <summary>The mapping of a source license's disabled plans onto the target (null without a usable target).</summary>
        public CompoundPlanMapping? Map(IReadOnlyList<Guid> disabledPlans)
        {
            if (_mapper == null)
            {
                return null;
            }

            var key = string.Join(",", disabledPlans.Select(p => p.ToString("N")).OrderBy(p => p, StringComparer.Ordinal));
            if (!_mappingCache.TryGetValue(key, out var mapping))
            {
                mapping = _mapper.Map(disabledPlans);
                _mappingCache[key] = mapping;
            }

            return mapping;
        }

        private void Note(CompoundPlanMapping mapping, string name)
        {
            if (mapping.DroppedPlanNames.Count > 0)
            {
                UsersLosingDisabledPlans.Add(name);
                DroppedDisabledPlanNames.UnionWith(mapping.DroppedPlanNames);
            }

            if (mapping.AdjustedPlans.Count > 0)
            {
                UsersWithAdjustedPlans.Add(name);
                AdjustedPlanNames.UnionWith(mapping.AdjustedPlans.Select(a => a.Plan));
            }
        }

        private bool HeldOnlyThroughSwappedGroups(UserLicenses user)
        {
            if (_groupsAssigningSource == null)
            {
                return false;
            }

            var sources = user.AssignmentStates.Where(s => s.SkuId == _sourceSkuId).ToList();
            return sources.Count > 0 && sources.All(s => !s.IsDirect && !_groupsAssigningSource.Contains(s.AssignedByGroup!));
        }

        private void CountSeats(UserLicenses user)
        {
            if (_target == null)
            {
                NeedingTargetSeat++;
                return;
            }

            foreach (var sku in LicenseHolding.SeatsNeeded(user, _target.SkuIds))
            {
                NeedingSeatBySku[sku]++;
                if (sku == _target.Suite.SkuId)
                {
                    NeedingTargetSeat++;
                }
            }
        }

        private void CountLostPlans(LicenseHolding holding)
        {
            foreach (var plan in _lost)
            {
                if (!holding.UnusedPlans.Contains(plan.PlanId))
                {
                    UsersLosing[plan.PlanId]++;
                }
            }
        }

        private void CountAddOns(UserLicenses user, CompoundPlanMapping mapping)
        {
            if (_addOns == null)
            {
                return;
            }

            _addOns.For(user, mapping, out var removable, out var kept);
            foreach (var sku in removable)
            {
                if (!RedundantAddOnUsers.TryGetValue(sku.SkuId, out var users))
                {
                    users = new CappedList(EligibilityFinding.MaxListed);
                    RedundantAddOnUsers[sku.SkuId] = users;
                }

                users.Add(user.Label);
            }

            foreach (var sku in kept)
            {
                RedundantAddOnsKept[sku.SkuId] = (RedundantAddOnsKept.TryGetValue(sku.SkuId, out var n) ? n : 0) + 1;
            }
        }
    }
}
