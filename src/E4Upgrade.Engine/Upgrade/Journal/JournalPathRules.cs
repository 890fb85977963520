namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>What a journal path may hold, checked before any file system call sees it.</summary>
    public static class JournalPathRules
    {
        /// <summary>
        /// Throws E4UpgradeException InvalidJournalPath for an empty path or one with a NUL: libc would end the path at
        /// the NUL (another file), and .NET would throw a bare ArgumentException.
        /// </summary>
        public static void Check(string? path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw Invalid(path ?? "", "it is empty");
            }

            if (path!.IndexOf('\0') >= 0)
            {
                throw Invalid(path.Replace("\0", "\\0"), "it holds a NUL character");
            }
        }

        /// <summary>A path on a drive of another PowerShell provider (Variable:, Env:, Cert:): the journal is a file.</summary>
        public static E4UpgradeException NotOnFileSystem(string path, string provider) =>
            Invalid(path, $"it is on a {provider} drive, not on the file system; a journal is a file");

        private static E4UpgradeException Invalid(string path, string why) =>
            new E4UpgradeException(ErrorIds.InvalidJournalPath, ErrorCategoryNames.InvalidArgument,
                $"The journal path '{path}' cannot be used: {why}. Pass the path of a .jsonl file on a file system drive (for example C:\\ or /home).");
    }
}
