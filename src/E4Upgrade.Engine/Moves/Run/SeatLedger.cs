namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// The target's free seats as this run sees them: counted down so the run stops before overrunning them, not
    /// after, and closed for good once Graph refuses a seat (someone else took seats the count still showed).
    /// The one place a user's seat is reserved, released or lost.
    /// </summary>
    internal sealed class SeatLedger
    {
        private int _left;

        public SeatLedger(int available)
        {
            _left = available;
        }

        /// <summary>Graph answered "no available licenses": no further write that needs a seat is sent.</summary>
        public bool RefusedByGraph { get; private set; }

        /// <summary>Reserves a seat for a write the user needs one for (or keeps the one it holds); false when none is left.</summary>
        public bool TryReserveFor(PendingUser user)
        {
            if (user.SeatReserved)
            {
                return !RefusedByGraph;
            }

            if (RefusedByGraph || !TryTake())
            {
                return false;
            }

            user.SeatReserved = true;
            return true;
        }

        /// <summary>Counts a seat for a planned move (-WhatIf): nobody holds it, nothing is released.</summary>
        public bool TryCountForPlan() => !RefusedByGraph && TryTake();

        /// <summary>The user's write will not be sent (or did not take a seat): its seat goes back.</summary>
        public void ReleaseFor(PendingUser user)
        {
            if (user.SeatReserved)
            {
                user.SeatReserved = false;
                _left++;
            }
        }

        /// <summary>Graph refused the seat: the user's reservation is void and no further seat is handed out.</summary>
        public void RefusedFor(PendingUser user)
        {
            user.SeatReserved = false;
            RefusedByGraph = true;
        }

        /// <summary>After Graph's refusal a queued user's reservation means nothing; it is dropped without a release.</summary>
        public void Forget(PendingUser user) => user.SeatReserved = false;

        private bool TryTake()
        {
            if (_left <= 0)
            {
                return false;
            }

            _left--;
            return true;
        }
    }
}
