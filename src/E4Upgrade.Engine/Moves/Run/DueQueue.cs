using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Items waiting until a time (retry after Retry-After or backoff); a binary min-heap, FIFO among equal times.</summary>
    internal sealed class DueQueue<T>
    {
        private readonly List<Entry> _heap = new List<Entry>();
        private long _sequence;

        public int Count => _heap.Count;

        public TimeSpan? EarliestDue => _heap.Count == 0 ? (TimeSpan?)null : _heap[0].Due;

        public void Add(T item, TimeSpan due)
        {
            _heap.Add(new Entry(due, _sequence++, item));
            var i = _heap.Count - 1;
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!Less(_heap[i], _heap[parent]))
                {
                    break;
                }

                Swap(i, parent);
                i = parent;
            }
        }

        public bool TryTakeDue(TimeSpan now, out T item)
        {
            if (_heap.Count == 0 || _heap[0].Due > now)
            {
                item = default!;
                return false;
            }

            item = _heap[0].Item;
            RemoveRoot();
            return true;
        }

        /// <summary>Removes and returns the items matching <paramref name="predicate"/>; the others keep their times.</summary>
        public List<T> TakeWhere(Func<T, bool> predicate)
        {
            var taken = new List<T>();
            var kept = new List<Entry>();
            foreach (var entry in _heap)
            {
                if (predicate(entry.Item))
                {
                    taken.Add(entry.Item);
                }
                else
                {
                    kept.Add(entry);
                }
            }

            _heap.Clear();
            foreach (var entry in kept)
            {
                Add(entry.Item, entry.Due);
            }

            return taken;
        }

        /// <summary>Empties the queue, returning everything in it.</summary>
        public List<T> TakeAll()
        {
            var all = new List<T>(_heap.Count);
            while (_heap.Count > 0)
            {
                all.Add(_heap[0].Item);
                RemoveRoot();
            }

            return all;
        }

        private void RemoveRoot()
        {
            var last = _heap.Count - 1;
            _heap[0] = _heap[last];
            _heap.RemoveAt(last);
            var i = 0;
            while (true)
            {
                var left = (2 * i) + 1;
                var right = left + 1;
                var smallest = i;
                if (left < _heap.Count && Less(_heap[left], _heap[smallest]))
                {
                    smallest = left;
                }

                if (right < _heap.Count && Less(_heap[right], _heap[smallest]))
                {
                    smallest = right;
                }

                if (smallest == i)
                {
                    return;
                }

                Swap(i, smallest);
                i = smallest;
            }
        }

        private static bool Less(Entry a, Entry b) => a.Due < b.Due || (a.Due == b.Due && a.Sequence < b.Sequence);

        private void Swap(int a, int b)
        {
            var tmp = _heap[a];
            _heap[a] = _heap[b];
            _heap[b] = tmp;
        }

        private readonly struct Entry
        {
            public Entry(TimeSpan due, long sequence, T item)
            {
                Due = due;
                Sequence = sequence;
                Item = item;
            }

            public TimeSpan Due { get; }
            public long Sequence { get; }
            public T Item { get; }
        }
    }
}
