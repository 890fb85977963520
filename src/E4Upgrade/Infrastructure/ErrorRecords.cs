using System;
using System.Management.Automation;
using E4Upgrade.Engine;

namespace E4Upgrade.Infrastructure
{
    /// <summary>Turns engine failures into ErrorRecords whose ids and categories are public API.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(E4UpgradeException exception, object? target) =>
            new ErrorRecord(exception, exception.ErrorId, ParseCategory(exception.Category), target);

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target) =>
            new ErrorRecord(new E4UpgradeException(errorId, category.ToString(), message), errorId, category, target);

        public static ErrorCategory ParseCategory(string? category) =>
            Enum.TryParse(category, ignoreCase: true, out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
    }
}
