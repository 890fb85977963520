using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The members of one group who need a seat of each target SKU: those who do not hold it (working) today, as
    /// <see cref="LicenseHolding.SeatsNeeded"/> decides for every user the upgrade moves.
    /// </summary>
    internal sealed class GroupSeatNeed
    {
        private readonly Dictionary<Guid, List<UserLicenses>> _lacking;

        private GroupSeatNeed(Dictionary<Guid, List<UserLicenses>> lacking)
        {
            _lacking = lacking;
        }

        public IReadOnlyCollection<Guid> Skus => _lacking.Keys;

        public static GroupSeatNeed Of(IEnumerable<UserLicenses> members, IReadOnlyList<Guid> targetSkus)
        {
            var lacking = targetSkus.Distinct().ToDictionary(sku => sku, _ => new List<UserLicenses>());
            foreach (var member in members)
            {
                foreach (var sku in LicenseHolding.SeatsNeeded(member, targetSkus))
                {
                    lacking[sku].Add(member);
                }
            }

            return new GroupSeatNeed(lacking);
        }

        public IEnumerable<string> MembersLacking(Guid sku) => Lacking(sku).Select(m => m.Id);

        public IReadOnlyList<UserLicenses> Lacking(Guid sku) =>
            _lacking.TryGetValue(sku, out var members) ? members : (IReadOnlyList<UserLicenses>)Array.Empty<UserLicenses>();
    }
}
