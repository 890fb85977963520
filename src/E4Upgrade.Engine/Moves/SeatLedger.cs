namespace E4Upgrade.Engine.Moves
{
    /// <summary>Counts the target's free seats so the run stops before overrunning them, not after.</summary>
    internal sealed class SeatLedger
    {
        private int _left;

        public SeatLedger(int available)
        {
            _left = available;
        }

        /// <summary>Set once the target ran out (by count or by Graph's answer); no write is sent after that.</summary>
        public bool Exhausted { get; private set; }

        public int Left => _left;

        public bool TryReserve()
        {
            if (Exhausted || _left <= 0)
            {
                Exhausted = true;
                return false;
            }

            _left--;
            return true;
        }

        public void Release() => _left++;

        public void MarkExhausted() => Exhausted = true;
    }
}
