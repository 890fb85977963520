using System;

namespace E4Upgrade.Engine
{
    /// <summary>
    /// A failure the module reports to the user: <see cref="ErrorId"/> becomes the ErrorRecord id and
    /// <see cref="Category"/> names a PowerShell ErrorCategory. Messages are composed by the engine and never
    /// contain tokens or secrets.
    /// </summary>
    public class E4UpgradeException : Exception
    {
        public E4UpgradeException(string errorId, string category, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>One of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>A PowerShell ErrorCategory name (see <see cref="ErrorCategoryNames"/>).</summary>
        public string Category { get; }

        /// <summary>HTTP status Graph answered with, when the failure came from a response; 0 otherwise.</summary>
        public int HttpStatus { get; set; }

        /// <summary>Graph's error.code, when it sent one.</summary>
        public string? GraphErrorCode { get; set; }
    }

    /// <summary>The PowerShell ErrorCategory names the engine uses, spelled exactly as the enum members.</summary>
    public static class ErrorCategoryNames
    {
        public const string AuthenticationError = "AuthenticationError";
        public const string InvalidArgument = "InvalidArgument";
        public const string InvalidData = "InvalidData";
        public const string ReadError = "ReadError";
        public const string InvalidOperation = "InvalidOperation";
        public const string InvalidResult = "InvalidResult";
        public const string ObjectNotFound = "ObjectNotFound";
        public const string PermissionDenied = "PermissionDenied";
        public const string ResourceUnavailable = "ResourceUnavailable";
        public const string LimitsExceeded = "LimitsExceeded";
        public const string OperationStopped = "OperationStopped";
        public const string OperationTimeout = "OperationTimeout";
        public const string ConnectionError = "ConnectionError";
        public const string SecurityError = "SecurityError";
        public const string ResourceBusy = "ResourceBusy";
        public const string WriteError = "WriteError";
        public const string NotSpecified = "NotSpecified";
    }
}
