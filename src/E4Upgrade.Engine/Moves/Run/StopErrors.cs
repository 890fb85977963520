using System;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>The errors a run stops with: a rejected token or permission, and the note on users left unprocessed.</summary>
    internal static class StopErrors
    {
        /// <param name="need">What the refused call needed (a 403 names it): the license write unless said otherwise.</param>
        public static E4UpgradeException For(OutcomeKind kind, WriteOutcome outcome, PermissionNeed? need = null)
        {
            var error = kind == OutcomeKind.TokenExpired
                ? new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError,
                    "Graph rejected the access token (401): it has expired or was revoked. Reconnect and run again; users already moved are reported AlreadyMoved.")
                : new E4UpgradeException(ErrorIds.PermissionMissing, ErrorCategoryNames.PermissionDenied,
                    $"Graph denied the call (403 {outcome.ErrorMessage}). " + PermissionMissingAdvice.For(need ?? GraphPermissions.AssignUserLicenses, null));
            error.HttpStatus = outcome.Status;
            error.GraphErrorCode = outcome.ErrorCode;
            return error;
        }

        /// <summary>A failure no retry can fix: the sign-in or permission was rejected, or there is no connection.</summary>
        public static bool StopsTheRun(Exception ex) =>
            ex is E4UpgradeException e && (e.ErrorId == ErrorIds.TokenExpired || e.ErrorId == ErrorIds.AccessDenied || e.ErrorId == ErrorIds.PermissionMissing ||
                                           e.ErrorId == ErrorIds.AuthenticationFailed || e.ErrorId == ErrorIds.NotConnected);

        /// <summary>The stop error, saying how many users taken from the input got no result.</summary>
        public static Exception WithUnprocessed(Exception error, long unprocessed)
        {
            if (unprocessed == 0)
            {
                return error;
            }

            var note = $" The run stopped with {unprocessed} user(s) not processed (no result was reported for them).";
            if (error is E4UpgradeException e4)
            {
                return new E4UpgradeException(e4.ErrorId, e4.Category, e4.Message + note, e4)
                {
                    HttpStatus = e4.HttpStatus,
                    GraphErrorCode = e4.GraphErrorCode,
                };
            }

            return new E4UpgradeException(ErrorIds.GraphError, ErrorCategoryNames.NotSpecified, "Reading the input failed: " + error.Message + note, error);
        }
    }
}
