using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    internal enum PendingStage
    {
        /// <summary>Named by the caller, not read yet.</summary>
        Read,
        /// <summary>Decided; its next write is queued.</summary>
        Write,
        /// <summary>Its last assignLicense got no definite answer; re-read before anything else.</summary>
        Verify,
        /// <summary>Graph accepted its assignLicense (200) but the answer did not show the result; re-read, never re-send.</summary>
        Confirm,
    }

    /// <summary>
    /// One user between being taken from the input and being reported: the state <see cref="UserMoveMachine.Next"/>
    /// reads and returns anew (never changed in place, so a state in the scheduler's queues is the machine's last word).
    /// Compared by reference: two users may be in the same state.
    /// </summary>
    internal sealed record PendingUser
    {
        public PendingUser(string key, string? inputUserPrincipalName)
        {
            Key = key;
            InputUserPrincipalName = inputUserPrincipalName;
        }

        /// <summary>What the user is read by: the caller's id or UPN, then the object id once known.</summary>
        public string Key { get; init; }
        public string? InputUserPrincipalName { get; }
        public PendingStage Stage { get; init; }
        public UserLicenses? User { get; init; }
        public MoveDecision? Decision { get; init; }
        public bool SeatReserved { get; init; }
        /// <summary>The target SKUs whose seats this user holds in the ledger.</summary>
        public IReadOnlyList<Guid> ReservedSkus { get; init; } = Array.Empty<Guid>();
        /// <summary>A 400 naming a plan dependency was answered by one more write; never a second one.</summary>
        public bool DependencyRetried { get; init; }
        public int AssignAttempts { get; init; }
        public int UsageLocationAttempts { get; init; }
        public int ReadAttempts { get; init; }
        public TimeSpan ReadyAt { get; init; }
        /// <summary>Retry-After of the unanswered write being verified, if Graph sent one (503).</summary>
        public TimeSpan? RetryAfterHint { get; init; }
        public string? LastError { get; init; }
        /// <summary>This run set the user's usage location (PATCH answered 2xx).</summary>
        public bool UsageLocationSet { get; init; }
        /// <summary>The 400 naming a plan dependency that the machine asked to learn before it decides the user again.</summary>
        public WriteOutcome? DependencyRefusal { get; init; }

        public bool Equals(PendingUser? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
    }
}
