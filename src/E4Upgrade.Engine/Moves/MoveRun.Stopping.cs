using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Cancellation (every user taken is reported) and stopping on a rejected token or permission.</summary>
    internal sealed partial class MoveRun
    {
        // ---------------------------------------------------------------- stopping

        private void BeginCancel()
        {
            _cancelling = true;
            if (_pullTask != null)
            {
                _inputAbandoned = true;
            }

            _inputDone = true;
            while (_ready.Count > 0)
            {
                var user = _ready.Dequeue();
                Report(user, _make.Cancelled(user));
            }

            while (_toRead.Count > 0)
            {
                var user = _toRead.Dequeue();
                Report(user, _make.Cancelled(user));
            }

            foreach (var user in _waiting.TakeAll())
            {
                Report(user, _make.Cancelled(user));
            }
        }

        private void Stop(Exception error)
        {
            if (_stopError == null)
            {
                _stopError = error;
            }
        }

        private static bool IsStopError(Exception ex) =>
            ex is E4UpgradeException e && (e.ErrorId == ErrorIds.TokenExpired || e.ErrorId == ErrorIds.AccessDenied ||
                                           e.ErrorId == ErrorIds.AuthenticationFailed || e.ErrorId == ErrorIds.NotConnected);

        private static E4UpgradeException StopError(OutcomeKind kind, WriteOutcome outcome)
        {
            var error = kind == OutcomeKind.TokenExpired
                ? new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError,
                    "Graph rejected the access token (401): it has expired or was revoked. Reconnect and run again; users already moved are reported AlreadyMoved.")
                : new E4UpgradeException(ErrorIds.AccessDenied, ErrorCategoryNames.PermissionDenied,
                    "Graph denied the license change (403): the app needs LicenseAssignment.ReadWrite.All (or User.ReadWrite.All). " + outcome.ErrorMessage);
            error.HttpStatus = outcome.Status;
            error.GraphErrorCode = outcome.ErrorCode;
            return error;
        }

        private Exception StopErrorWithCount()
        {
            var error = _stopError!;
            if (_active == 0)
            {
                return error;
            }

            var note = $" The run stopped with {_active} user(s) not processed (no result was reported for them).";
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
