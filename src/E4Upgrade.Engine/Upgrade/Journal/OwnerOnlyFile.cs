using System.IO;
using System.Runtime.InteropServices;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Creates files and folders that only their owner can read. netstandard2.0 has no File.SetUnixFileMode, so on
    /// Unix the journal is created by libc open() with mode 0600 (never readable by others, not even for an instant)
    /// and an existing journal is narrowed once it was read as one (JournalFile). On Windows nothing is
    /// changed: the default location under %LOCALAPPDATA% already inherits an ACL that grants only the user, SYSTEM
    /// and Administrators; a journal placed elsewhere with -JournalPath takes that folder's ACL, and the
    /// Start-E4Upgrade help says so rather than claiming owner-only there.
    /// </summary>
    internal static class OwnerOnlyFile
    {
        internal const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerOnlyDirectory = 0x1C0; // 0700

        public static bool IsUnix =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>Creates the folder; the folders this call creates are made 0700 on Unix.</summary>
        public static void EnsureDirectory(string directory)
        {
            if (Directory.Exists(directory))
            {
                return;
            }

            var parent = Path.GetDirectoryName(directory);
            if (!string.IsNullOrEmpty(parent))
            {
                EnsureDirectory(parent!);
            }

            Directory.CreateDirectory(directory);
            if (IsUnix)
            {
                Chmod(directory, OwnerOnlyDirectory);
            }
        }


        private static void Chmod(string path, int mode)
        {
            if (NativeMethods.chmod(path, mode) != 0)
            {
                throw new IOException($"Could not restrict '{path}' to its owner (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            public static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);
        }
    }
}
