namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// Hook for a journal. Both calls come from the engine's loop, one at a time, synchronously: keep them quick.
    /// </summary>
    public interface IMoveObserver
    {
        /// <summary>An assignLicense for this user (object id) is about to be sent; called before every attempt.</summary>
        void WriteSending(string userId);

        /// <summary>A result was decided (before it is yielded to the caller).</summary>
        void Completed(MoveResult result);
    }
}
