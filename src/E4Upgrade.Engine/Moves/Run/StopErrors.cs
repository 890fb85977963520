using System;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>The errors a run stops with: a rejected token or permission, and the note on users left unprocessed.</summary>
    internal static class StopErrors
    {
        /// <summary>
        /// The error a 401 or 403 outcome stops the run with: as the Graph gateway worded it with
        /// <see cref="GraphFailureTranslator"/>, the one home of that wording, which knows the session's sign-in
        /// (TokenExpired only for an access token) and what the refused item needed. A gateway that does not word it
        /// (a test fake) gets the translator's words for an access-token session.
        /// </summary>
        /// <param name="need">What the refused call needed (a 403 names it) when the gateway did not word the refusal.</param>
        public static E4UpgradeException For(OutcomeKind kind, GraphAnswer outcome, PermissionNeed? need = null) =>
            outcome.SignInRefusal
            ?? AsAccessToken.FromStatus(kind == OutcomeKind.TokenExpired ? 401 : 403, outcome.ErrorCode, outcome.ErrorMessage, "the license change", null,
                need ?? GraphPermissions.AssignUserLicenses);

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
