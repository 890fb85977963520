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
            new ErrorRecord(new E4UpgradeException(errorId, (ErrorCategoryNames)Enum.Parse(typeof(ErrorCategoryNames), category.ToString()), message), errorId, category, target);

        /// <summary>The engine's typed category as PowerShell's: the two enums share their member names.</summary>
        public static ErrorCategory ParseCategory(ErrorCategoryNames category) =>
            Enum.TryParse(category.ToString(), out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
    }
}
