using System;
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

    /// <summary>One user between being taken from the input and being reported.</summary>
    internal sealed class PendingUser
    {
        public PendingUser(string key, string? inputUserPrincipalName)
        {
            Key = key;
            InputUserPrincipalName = inputUserPrincipalName;
        }

        /// <summary>What the user is read by: the caller's id or UPN, then the object id once known.</summary>
        public string Key { get; set; }
        public string? InputUserPrincipalName { get; }
        public PendingStage Stage { get; set; }
        public UserLicenses? User { get; set; }
        public MoveDecision? Decision { get; set; }
        public bool SeatReserved { get; set; }
        public int AssignAttempts { get; set; }
        public int UsageLocationAttempts { get; set; }
        public int ReadAttempts { get; set; }
        public TimeSpan ReadyAt { get; set; }
        /// <summary>Retry-After of the unanswered write being verified, if Graph sent one (503).</summary>
        public TimeSpan? RetryAfterHint { get; set; }
        public string? LastError { get; set; }
        /// <summary>This run set the user's usage location (PATCH answered 2xx).</summary>
        public bool UsageLocationSet { get; set; }
    }
}
