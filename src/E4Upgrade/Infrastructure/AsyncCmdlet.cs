using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Base for cmdlets whose work is async. The work runs on the thread pool; everything it wants to write
    /// (objects, errors, progress, verbose) is queued and replayed here on the pipeline thread, the only
    /// thread PowerShell allows to call Write* and ShouldProcess. Ctrl-C cancels <see cref="Stopping"/>.
    /// </summary>
    public abstract class AsyncCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly BlockingCollection<Action> pending = new BlockingCollection<Action>(new ConcurrentQueue<Action>(), 10_000);
        // Without a session, no request can be in flight; with one, its own bound (set when the work starts).
        private TimeSpan settleTimeout = TimeSpan.FromSeconds(60);
        private Task? running;
        private AsyncCmdletOutput? output;

        protected CancellationToken Stopping => stopping.Token;

        /// <summary>Queues an action for the pipeline thread; blocks the worker when the pipeline falls far behind.</summary>
        private void Post(Action action)
        {
            try
            {
                pending.Add(action, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: PowerShell no longer reads output.
            }
            catch (InvalidOperationException)
            {
                // The run finished; late output is dropped only after StopProcessing.
            }
        }

        /// <summary>The output streams as seen from worker threads: each write is replayed on the pipeline thread.</summary>
        internal AsyncCmdletOutput Output => output ??= new AsyncCmdletOutput(this, Post);

        /// <summary>Starts the async work without waiting; pair with <see cref="PumpAvailable"/> and <see cref="CompleteRun"/>.</summary>
        protected void StartRun(Func<CancellationToken, Task> work)
        {
            // The session's gateway, retries and budget write verbose text to whichever cmdlet's work caused it.
            var session = ModuleSession.Current?.Graph;
            var sessionVerbose = session?.Verbose;
            if (session != null)
            {
                settleTimeout = session.InFlightBound;
            }

            running = Task.Run(async () =>
            {
                try
                {
                    using (sessionVerbose?.Attach(Output.Verbose))
                    {
                        await work(Stopping).ConfigureAwait(false);
                    }
                }
                finally
                {
                    pending.CompleteAdding();
                }
            });
        }

        /// <summary>Runs the work to completion, replaying its output as it comes.</summary>
        protected void Run(Func<CancellationToken, Task> work)
        {
            StartRun(work);
            CompleteRun();
        }

        /// <summary>Replays whatever output is ready, without waiting.</summary>
        protected void PumpAvailable()
        {
            while (pending.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Replays all remaining output, then surfaces the work's failure as a terminating error.</summary>
        protected void CompleteRun()
        {
            if (running == null)
            {
                return;
            }

            foreach (var action in pending.GetConsumingEnumerable())
            {
                action();
            }

            try
            {
                running.GetAwaiter().GetResult();
            }
            catch (E4UpgradeException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, null));
            }
            catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
            {
                // Ctrl-C: PowerShell reports the stop itself.
            }
        }

        protected bool IsRunFinished => running != null && running.IsCompleted && pending.IsCompleted;

        protected override void StopProcessing() => stopping.Cancel();

        // PowerShell calls Dispose, not StopProcessing, when the pipeline ends early (-ErrorAction Stop, Select-Object
        // -First): cancel the work and let it settle, so nothing keeps writing to the tenant after the cmdlet returns.
        // A write already sent runs to its answer, so the wait is the session's InFlightBound, not a shorter guess.
        public void Dispose()
        {
            stopping.Cancel();
            try
            {
                running?.Wait(settleTimeout);
            }
            catch (AggregateException)
            {
                // The work's own failure was already reported, or no longer matters once the pipeline stopped.
            }

            stopping.Dispose();
            pending.Dispose();
        }
    }
}
