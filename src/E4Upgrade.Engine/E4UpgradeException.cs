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
        public E4UpgradeException(string errorId, ErrorCategoryNames category, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>One of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The PowerShell ErrorCategory the error record gets (same names as System.Management.Automation.ErrorCategory).</summary>
        public ErrorCategoryNames Category { get; }

        /// <summary>HTTP status Graph answered with, when the failure came from a response; 0 otherwise.</summary>
        public int HttpStatus { get; set; }

        /// <summary>Graph's error.code, when it sent one.</summary>
        public string? GraphErrorCode { get; set; }
    }

    /// <summary>
    /// PowerShell's ErrorCategory, typed, in the engine (which references no PowerShell assembly): the same members in
    /// the same order, so a cmdlet turns one into the other by name. Throw sites write ErrorCategoryNames.InvalidData.
    /// </summary>
    public enum ErrorCategoryNames
    {
        NotSpecified,
        OpenError,
        CloseError,
        DeviceError,
        DeadlockDetected,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        InvalidType,
        MetadataError,
        NotImplemented,
        NotInstalled,
        ObjectNotFound,
        OperationStopped,
        OperationTimeout,
        SyntaxError,
        ParserError,
        PermissionDenied,
        ResourceBusy,
        ResourceExists,
        ResourceUnavailable,
        ReadError,
        WriteError,
        FromStdErr,
        SecurityError,
        ProtocolError,
        ConnectionError,
        AuthenticationError,
        LimitsExceeded,
        QuotaExceeded,
        NotEnabled,
    }
}
