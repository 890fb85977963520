using System;
using System.Threading;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// The verbose sink of a session's long-lived parts (gateway, retries, resource-unit budget), which outlive the
    /// cmdlet that connected: each message goes to the sink attached by the work that caused it, i.e. the running
    /// cmdlet's verbose stream. The attachment is an AsyncLocal, so it flows with that work (into the HTTP pipeline
    /// and Polly's retries) and two cmdlets running at once each get their own messages; a message from work no
    /// cmdlet attached to (a tab completion's SKU read) is dropped.
    /// </summary>
    public sealed class VerboseRelay
    {
        private readonly AsyncLocal<Action<string>?> _sink = new AsyncLocal<Action<string>?>();

        /// <summary>Writes to the sink of the work running now, if it attached one.</summary>
        public void Write(string message) => _sink.Value?.Invoke(message);

        /// <summary>Makes <paramref name="sink"/> the sink of the current async flow until the result is disposed.</summary>
        public IDisposable Attach(Action<string>? sink)
        {
            var previous = _sink.Value;
            _sink.Value = sink;
            return new Detach(this, previous);
        }

        private sealed class Detach : IDisposable
        {
            private readonly VerboseRelay _relay;
            private readonly Action<string>? _previous;

            public Detach(VerboseRelay relay, Action<string>? previous)
            {
                _relay = relay;
                _previous = previous;
            }

            public void Dispose() => _relay._sink.Value = _previous;
        }
    }
}
