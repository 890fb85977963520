using System;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>Permission to send one batch of <see cref="Writes"/> writes now; hand it back to the pacer with the answer.</summary>
    internal sealed class PacerTicket
    {
        internal PacerTicket(long sequence, int writes, TimeSpan sentAt, bool isProbe)
        {
            Sequence = sequence;
            Writes = writes;
            SentAt = sentAt;
            IsProbe = isProbe;
        }

        internal long Sequence { get; }
        public int Writes { get; }
        public TimeSpan SentAt { get; }
        /// <summary>A one-write batch sent only to learn whether Graph's window has drained.</summary>
        public bool IsProbe { get; }
    }

    /// <summary>Either a ticket to send now, or how long to wait before asking again (null: until a batch is answered).</summary>
    internal readonly struct PacerDecision
    {
        private PacerDecision(PacerTicket? ticket, TimeSpan? wait)
        {
            Ticket = ticket;
            Wait = wait;
        }

        public PacerTicket? Ticket { get; }
        public TimeSpan? Wait { get; }

        internal static PacerDecision Send(PacerTicket ticket) => new PacerDecision(ticket, null);
        internal static PacerDecision WaitFor(TimeSpan wait) => new PacerDecision(null, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        internal static PacerDecision WaitForAnswer() => new PacerDecision(null, null);
    }
}
