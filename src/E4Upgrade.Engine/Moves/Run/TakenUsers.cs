using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>The users a run has taken (by object id) and the keys that named nobody: what makes a later input row a duplicate.</summary>
    internal sealed class TakenUsers
    {
        private readonly HashSet<Guid> _ids = new HashSet<Guid>();
        private readonly HashSet<string> _otherIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _missingKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public bool Contains(string userId) => Guid.TryParse(userId, out var id) ? _ids.Contains(id) : _otherIds.Contains(userId);

        public bool IsMissing(string key) => _missingKeys.Contains(key);

        public void Add(string userId)
        {
            if (Guid.TryParse(userId, out var id))
            {
                _ids.Add(id);
            }
            else
            {
                _otherIds.Add(userId);
            }
        }

        public void AddMissing(string key) => _missingKeys.Add(key);
    }
}
