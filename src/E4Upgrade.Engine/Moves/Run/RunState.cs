using System;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Where the whole run is: running, cancelling (every user taken is reported Cancelled), or stopped with an error.</summary>
    internal sealed class RunState
    {
        public bool Cancelling { get; private set; }

        /// <summary>The error that stopped the run (a rejected token or permission, a failed input); the first one wins.</summary>
        public Exception? StopError { get; private set; }

        public bool Stopped => StopError != null;

        /// <summary>Nothing new is started: the run is cancelling or stopped.</summary>
        public bool Halting => Cancelling || Stopped;

        public void Cancel() => Cancelling = true;

        public void Stop(Exception error)
        {
            StopError ??= error;
        }
    }
}
