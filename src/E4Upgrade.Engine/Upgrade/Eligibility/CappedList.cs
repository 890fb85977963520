using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Keeps the first few items and counts them all, so a 100,000-user finding stays small.</summary>
    internal sealed class CappedList
    {
        private readonly List<string> _items = new List<string>();
        private readonly int _max;

        public CappedList(int max)
        {
            _max = max;
        }

        public int Count { get; private set; }
        public IReadOnlyList<string> Items => _items;

        public void Add(string item)
        {
            Count++;
            if (_items.Count < _max)
            {
                _items.Add(item);
            }
        }

        /// <summary>"a, b, c and 97 more".</summary>
        public string Describe(int shown = 10)
        {
            var head = _items.Count <= shown ? _items : _items.GetRange(0, shown);
            var text = string.Join(", ", head);
            return Count > head.Count ? text + " and " + (Count - head.Count) + " more" : text;
        }
    }
}
