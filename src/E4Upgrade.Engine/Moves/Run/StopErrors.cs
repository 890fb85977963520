using System;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>The errors a run stops with: a rejected token or permission, and the note on users left unprocessed.</summary>
    internal static class StopErrors
    {
        /// <summary>
        /// The error a 401 or 403 outcome stops the run with. A 401 as the Graph gateway worded it with
        /// <see cref="GraphFailureTranslator"/>, which knows the session's sign-in (TokenExpired only for an access
        /// token); a gateway that does not word it (a test fake) gets the translator's words for an access-token session.
        /// A 403 is PermissionMissing, naming what the refused call needed.
        /// </summary>
        /// <param name="need">What the refused call needed (a 403 names it): the license write unless said otherwise.</param>
        public static E4UpgradeException For(OutcomeKind kind, WriteOutcome outcome, PermissionNeed? need = null)
        {
            if (kind == OutcomeKind.TokenExpired)
            {
                return outcome.SignInRefusal ?? AsAccessToken.FromStatus(401, outcome.ErrorCode, outcome.ErrorMessage, "the license change");
            }

            var error = new E4UpgradeException(ErrorIds.PermissionMissing, ErrorCategoryNames.PermissionDenied,
                $"Graph denied the call (403 {outcome.ErrorMessage}). " + PermissionMissingAdvice.For(need ?? GraphPermissions.AssignUserLicenses, null));
            error.HttpStatus = outcome.Status;
            error.GraphErrorCode = outcome.ErrorCode;
            return error;
        }

        private static readonly GraphFailureTranslator AsAccessToken = new GraphFailureTranslator(Connection.GraphAuthMethod.AccessToken);

        /// <summary>
        /// A failure no retry can fix: the sign-in or permission was rejected, there is no connection, or something
        /// between here and Graph redirects its calls (no answer through that path can be trusted).
        /// </summary>
        public static bool StopsTheRun(Exception ex) =>
            ex is E4UpgradeException e && (e.ErrorId == ErrorIds.TokenExpired || e.ErrorId == ErrorIds.AccessDenied || e.ErrorId == ErrorIds.PermissionMissing ||
                                           e.ErrorId == ErrorIds.AuthenticationFailed || e.ErrorId == ErrorIds.NotConnected ||
                                           e.ErrorId == ErrorIds.GraphRedirectRefused);

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
