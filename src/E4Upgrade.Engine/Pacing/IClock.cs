using System;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>Monotonic time and waiting, injectable so pacing and retry timing are tested without real time.</summary>
    public interface IClock
    {
        /// <summary>Time elapsed since an arbitrary, fixed origin; never goes backwards.</summary>
        TimeSpan Now { get; }

        Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);
    }
}
