namespace E4Upgrade.Engine
{
    /// <summary>Error ids are public API: ErrorRecord ids, MoveResult.Reason and finding codes use them, and tests assert them exactly.</summary>
    public static class ErrorIds
    {
        public const string NotConnected = "NotConnected";
        public const string AuthenticationFailed = "AuthenticationFailed";
        public const string InvalidGraphEndpoint = "InvalidGraphEndpoint";
        public const string InvalidCertificateThumbprint = "InvalidCertificateThumbprint";
        public const string UntrustedCertificate = "UntrustedCertificate";
        public const string SkuNotFound = "SkuNotFound";
        public const string UserNotFound = "UserNotFound";
        public const string InvalidUserIdentity = "InvalidUserIdentity";
        public const string UsageLocationMissing = "UsageLocationMissing";
        public const string InsufficientLicenses = "InsufficientLicenses";
        public const string InheritedFromGroup = "InheritedFromGroup";
        public const string SourceLicenseNotAssigned = "SourceLicenseNotAssigned";
        public const string InvalidDisabledPlan = "InvalidDisabledPlan";
        /// <summary>Graph refused the assignment for a plan dependency even after the dependency was applied and the user retried once.</summary>
        public const string PlanDependencyRejected = "PlanDependencyRejected";
        public const string LicenseConflict = "LicenseConflict";
        public const string AccessDenied = "AccessDenied";
        public const string TokenExpired = "TokenExpired";
        public const string RetriesExhausted = "RetriesExhausted";
        public const string Cancelled = "Cancelled";
        public const string GraphError = "GraphError";
        public const string E4StillInUse = "E4StillInUse";
        public const string NotEligible = "NotEligible";
        public const string TargetNotReady = "TargetNotReady";
        public const string JournalMismatch = "JournalMismatch";
        /// <summary>A journal of the same source and suite, started for other add-ons: resuming would move the rest of the users to a different target.</summary>
        public const string CompoundTargetChanged = "CompoundTargetChanged";
        public const string UpgradeIncomplete = "UpgradeIncomplete";
        public const string JournalCorrupt = "JournalCorrupt";
        public const string GroupProcessingTimeout = "GroupProcessingTimeout";
        /// <summary>Another run holds the journal (exclusive for the whole run).</summary>
        public const string JournalInUse = "JournalInUse";
        /// <summary>The journal's folder or file cannot be created or written (permissions, read-only file system).</summary>
        public const string JournalNotWritable = "JournalNotWritable";
        /// <summary>A journal write failed mid-run (disk full, I/O error); the journal was cut back and stays resumable.</summary>
        public const string JournalWriteFailed = "JournalWriteFailed";
        /// <summary>The journal path is a symbolic link (refused, never followed).</summary>
        public const string JournalIsLink = "JournalIsLink";
        /// <summary>The journal was written for another tenant than the one the session's tokens are for.</summary>
        public const string JournalOtherTenant = "JournalOtherTenant";
        /// <summary>A result reason: a user an earlier run tried to move was deleted since (reported once, then done).</summary>
        public const string UserDeleted = "UserDeleted";
        public const string InvalidUsageLocation = "InvalidUsageLocation";
        /// <summary>A result reason, not an error: the input named a user an earlier row already named.</summary>
        public const string DuplicateInput = "DuplicateInput";
        public const string JournalNotFound = "JournalNotFound";
        public const string NotAJournal = "NotAJournal";
        public const string JournalTruncated = "JournalTruncated";
        public const string JournalAmbiguous = "JournalAmbiguous";
        public const string JournalUnreadable = "JournalUnreadable";
        /// <summary>An answer that cannot be Graph's: a redirect (3xx) to a call Graph does not redirect; it is not followed.</summary>
        public const string GraphRedirectRefused = "GraphRedirectRefused";
        /// <summary>An @odata.nextLink outside the service root, or one already followed (paging would loop); paging stops.</summary>
        public const string NextLinkRefused = "NextLinkRefused";
        /// <summary>A listing went past the page cap (GraphResilienceOptions.MaxPages).</summary>
        public const string TooManyPages = "TooManyPages";
        /// <summary>A 2xx answer whose body is empty or not the JSON the call returns; never read as an empty list.</summary>
        public const string GraphAnswerUnreadable = "GraphAnswerUnreadable";
        /// <summary>A result reason: the -Confirm prompt was answered No, so the user was not changed.</summary>
        public const string NotConfirmed = "NotConfirmed";
        /// <summary>A SKU part number that names more than one SKU in the tenant; give the SKU id instead.</summary>
        public const string AmbiguousSku = "AmbiguousSku";

        /// <summary>A journal (or the run) carries no tenant id, or a tenant name instead of the id: it cannot be bound to one tenant.</summary>
        public const string JournalWithoutTenantId = "JournalWithoutTenantId";
        /// <summary>A journal path that holds a NUL or names a drive of another PowerShell provider (Variable:, Env:).</summary>
        public const string InvalidJournalPath = "InvalidJournalPath";
        /// <summary>-ManagedIdentity where no managed identity endpoint answers (outside Azure, or no identity enabled).</summary>
        public const string ManagedIdentityUnavailable = "ManagedIdentityUnavailable";
        /// <summary>The managed identity endpoint answered and refused the token request (wrong IDENTITY_HEADER, unknown client id).</summary>
        public const string ManagedIdentityRefused = "ManagedIdentityRefused";
        /// <summary>Graph answered 403: the token lacks the permission the call needs (the message names it); grant it and run again.</summary>
        public const string PermissionMissing = "PermissionMissing";
        /// <summary>Get-E4UpgradeReport -HtmlPath could not write the report file.</summary>
        public const string ReportNotWritable = "ReportNotWritable";
        /// <summary>A -JournalPath URL that cannot name a journal blob: not https (http only to a loopback host), no container or blob name.</summary>
        public const string InvalidJournalUrl = "InvalidJournalUrl";
        /// <summary>The storage account of a journal URL did not answer (name not found, connection refused, timeout).</summary>
        public const string JournalStorageUnreachable = "JournalStorageUnreachable";
        /// <summary>Storage refused the journal blob (401/403): the SAS or the identity lacks access (Storage Blob Data Contributor).</summary>
        public const string JournalStorageDenied = "JournalStorageDenied";
        /// <summary>A journal URL without a SAS while the session has no credential that can ask storage for a token (none, or -AccessToken).</summary>
        public const string JournalStorageNoCredential = "JournalStorageNoCredential";

        /// <summary>Undo-E4Upgrade: the user or group no longer holds exactly what the run gave it (read now); it is skipped, not overwritten.</summary>
        public const string UndoChangedSinceRun = "UndoChangedSinceRun";
        /// <summary>Undo-E4Upgrade: the journal does not record what the user or group held before the run (a journal of an older version); not guessed.</summary>
        public const string UndoStateNotRecorded = "UndoStateNotRecorded";
        /// <summary>Undo-E4Upgrade: the run also removed redundant add-ons from the user, whose plans it did not record; undo cannot give them back exactly.</summary>
        public const string UndoAddOnsNotRestorable = "UndoAddOnsNotRestorable";
        /// <summary>Undo-E4Upgrade: the user or group named was not moved by a run of this journal.</summary>
        public const string UndoNotMovedByRun = "UndoNotMovedByRun";
        /// <summary>Undo-E4Upgrade: the source SKU has fewer free seats than the users and group members it would give back need; nothing was changed.</summary>
        public const string InsufficientSourceSeats = "InsufficientSourceSeats";
        /// <summary>Undo-E4Upgrade finished with users or groups it could not give back (failed writes).</summary>
        public const string UndoIncomplete = "UndoIncomplete";
        /// <summary>Undo-E4Upgrade: a group the run swapped no longer exists.</summary>
        public const string GroupNotFound = "GroupNotFound";
        /// <summary>A group member's target assignment from the swapped group is in state Disabled: not in effect, and Entra does not retry it.</summary>
        public const string GroupLicenseDisabled = "GroupLicenseDisabled";
    }
}
