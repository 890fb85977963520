using System;
using System.Collections.Generic;
using System.Threading;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>
    /// Counts the different users a session has seen (listed or read by key), up to <see cref="Ceiling"/>: proof that the
    /// tenant has at least that many users, for the documented resource-unit tier. Remembers at most Ceiling ids.
    /// Thread-safe.
    /// </summary>
    internal sealed class DistinctUserCount
    {
        /// <summary>One more than the largest tier boundary (L: more than 500 users).</summary>
        public const int Ceiling = 501;

        private readonly HashSet<string> _ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        /// <summary>Adds a user; true when the count grew.</summary>
        public bool Add(string? id)
        {
            if (string.IsNullOrEmpty(id) || Volatile.Read(ref _count) >= Ceiling)
            {
                return false;
            }

            lock (_ids)
            {
                if (_ids.Count >= Ceiling || !_ids.Add(id!))
                {
                    return false;
                }

                Volatile.Write(ref _count, _ids.Count);
                return true;
            }
        }
    }
}
