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

        public int Left => _left;

        public bool TryReserve()
        {
            if (_left <= 0)
            {
                return false;
            }

            _left--;
            return true;
        }

        public void Release() => _left++;
    }
}
