using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The member listings the seat check needs, read a few groups ahead (<see cref="AtOnce"/>) so that N groups do not
    /// wait for N listings one after another. A listing read ahead is at most a few swaps old when its group is checked;
    /// a member who gained the target in between is still counted as needing a seat (safe), and members are counted
    /// once however many groups promise them one (<see cref="GroupSeats"/>).
    /// </summary>
    internal sealed class GroupMemberListings
    {
        /// <summary>Member listings read at the same time (our choice: a few, to bound memory and read load).</summary>
        public const int AtOnce = 4;

        private readonly ILicensingGateway _gateway;
        private readonly IReadOnlyList<GroupLicenses> _groups;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<int, Task<List<UserLicenses>>> _reading = new Dictionary<int, Task<List<UserLicenses>>>();

        public GroupMemberListings(ILicensingGateway gateway, IReadOnlyList<GroupLicenses> groups, CancellationToken cancellationToken)
        {
            _gateway = gateway;
            _groups = groups;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Every member of the group, as one listing.</summary>
        public static async Task<List<UserLicenses>> ReadAsync(ILicensingGateway gateway, string groupId, CancellationToken cancellationToken)
        {
            var members = new List<UserLicenses>();
            await foreach (var member in gateway.ListGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false))
            {
                members.Add(member);
            }

            return members;
        }

        public Task<List<UserLicenses>> ForGroupAsync(int index)
        {
            for (var next = index; next < Math.Min(_groups.Count, index + AtOnce); next++)
            {
                if (!_reading.ContainsKey(next))
                {
                    _reading[next] = ReadAsync(_gateway, _groups[next].Id, _cancellationToken);
                }
            }

            var listing = _reading[index];
            _reading.Remove(index);
            return listing;
        }

        /// <summary>Listings read ahead for groups never checked (the run stopped): their failures are observed, not thrown.</summary>
        public void Abandon()
        {
            foreach (var listing in _reading.Values)
            {
                _ = listing.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            _reading.Clear();
        }
    }
}
