using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Carries pipeline input from ProcessRecord (pipeline thread) to the engine (thread pool) as an async stream.
    /// Bounded, so a 100,000-line CSV streams through in constant memory: the producer waits while it is full.
    /// </summary>
    internal sealed class AsyncInputQueue<T>
    {
        private readonly ConcurrentQueue<T> items = new ConcurrentQueue<T>();
        private readonly SemaphoreSlim available = new SemaphoreSlim(0);
        private readonly SemaphoreSlim space;
        private int completed;

        public AsyncInputQueue(int capacity)
        {
            space = new SemaphoreSlim(capacity, capacity);
        }

        /// <summary>Adds an item if there is room within the timeout; the caller keeps pumping output while it waits.</summary>
        public bool TryAdd(T item, TimeSpan timeout)
        {
            if (!space.Wait(timeout))
            {
                return false;
            }

            items.Enqueue(item);
            available.Release();
            return true;
        }

        public void Complete()
        {
            if (Interlocked.Exchange(ref completed, 1) == 0)
            {
                available.Release();
            }
        }

        public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            while (true)
            {
                await available.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (items.TryDequeue(out var item))
                {
                    space.Release();
                    yield return item;
                    continue;
                }

                // The only release without an item is Complete's.
                yield break;
            }
        }
    }
}
