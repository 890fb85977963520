using System;
using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Turns a -JournalPath into a file system path through PowerShell's providers: relative to the current location
    /// (not the process's working directory), and only on a FileSystem drive. A path on another provider's drive
    /// (Variable:\x, Env:\x) or with a NUL is refused with InvalidJournalPath, never written somewhere else. An
    /// http(s) URL names a journal blob and is passed on as given (JournalStores decides and checks it).
    /// </summary>
    internal static class JournalPathResolver
    {
        public static string Resolve(PSCmdlet cmdlet, string path)
        {
            JournalPathRules.Check(path);
            if (JournalStores.IsBlob(path))
            {
                return path;
            }

            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception ex) when (ex is SessionStateException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new E4UpgradeException(ErrorIds.InvalidJournalPath, ErrorCategoryNames.InvalidArgument,
                    $"The journal path '{path}' cannot be used: {ex.Message}", ex);
            }

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw JournalPathRules.NotOnFileSystem(path, provider.Name);
            }

            return resolved;
        }
    }
}
