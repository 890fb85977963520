using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Moves
{
    internal enum OutcomeKind
    {
        Succeeded,
        /// <summary>429: not applied; retry after its Retry-After.</summary>
        Throttled,
        /// <summary>No answer, timeout or 5xx: may or may not have been applied; re-read before retrying.</summary>
        Unknown,
        /// <summary>A definite per-user failure (4xx); see ErrorId.</summary>
        Failed,
        /// <summary>The target has no free seats: stop writing.</summary>
        SeatsExhausted,
        /// <summary>400 "User does not have a corresponding license": the license to remove is gone, as after our own swap landed.</summary>
        SourceGone,
        /// <summary>401: stop the run.</summary>
        TokenExpired,
        /// <summary>403: stop the run.</summary>
        AccessDenied,
    }

    /// <summary>Maps Graph's answer to one write onto what the engine does next and the public error id.</summary>
    internal static class WriteOutcomeClassifier
    {
        public static OutcomeKind Classify(GraphAnswer outcome, out string errorId)
        {
            errorId = ErrorIds.GraphError;
            var status = outcome.Status;
            if (outcome.Succeeded)
            {
                return OutcomeKind.Succeeded;
            }

            // Whether another attempt may help is RetryClassifier's rule, the same for reads, writes and groups.
            switch (RetryClassifier.OfStatus(status))
            {
                case RetryKind.Throttled:
                    return OutcomeKind.Throttled;
                case RetryKind.Unanswered:
                    return OutcomeKind.Unknown;
            }

            switch (status)
            {
                case 401:
                    errorId = ErrorIds.TokenExpired;
                    return OutcomeKind.TokenExpired;
                case 403:
                    errorId = ErrorIds.PermissionMissing;
                    return OutcomeKind.AccessDenied;
                case 404:
                    errorId = ErrorIds.UserNotFound;
                    return OutcomeKind.Failed;
            }

            var message = (outcome.ErrorMessage ?? "").ToLowerInvariant();
            var code = (outcome.ErrorCode ?? "").ToLowerInvariant();
            if (message.Contains("does not have any available licenses") || code.Contains("quotaexceeded") || message.Contains("countviolation"))
            {
                errorId = ErrorIds.InsufficientLicenses;
                return OutcomeKind.SeatsExhausted;
            }

            if (message.Contains("does not have a corresponding license"))
            {
                return OutcomeKind.SourceGone;
            }

            if (message.Contains("usage location") || message.Contains("usagelocation"))
            {
                errorId = ErrorIds.UsageLocationMissing;
            }
            else if (message.Contains("inherited from a group"))
            {
                errorId = ErrorIds.InheritedFromGroup;
            }
            else if (message.Contains("mutually exclusive") || message.Contains("mutuallyexclusive") || message.Contains("conflict"))
            {
                errorId = ErrorIds.LicenseConflict;
            }
            else if (message.Contains("depends on the service plan"))
            {
                errorId = ErrorIds.PlanDependencyRejected;
            }
            else if (message.Contains("service plan") || message.Contains("disabledplan") || message.Contains("disabled plan"))
            {
                errorId = ErrorIds.InvalidDisabledPlan;
            }
            else if (message.Contains("does not exist") && code.Contains("notfound"))
            {
                errorId = ErrorIds.UserNotFound;
            }

            return OutcomeKind.Failed;
        }

        public static string Describe(GraphAnswer outcome)
        {
            var status = outcome.Status == 0 ? "no answer" : "HTTP " + outcome.Status;
            var code = string.IsNullOrEmpty(outcome.ErrorCode) ? "" : " " + outcome.ErrorCode;
            var message = string.IsNullOrEmpty(outcome.ErrorMessage) ? "" : ": " + outcome.ErrorMessage;
            return status + code + message;
        }
    }
}
