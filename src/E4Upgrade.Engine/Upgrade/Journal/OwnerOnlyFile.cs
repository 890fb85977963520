using System.IO;
using System.Runtime.InteropServices;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Creates files and folders that only their owner can read. netstandard2.0 has no File.SetUnixFileMode, so on
    /// Unix the file is created by libc open() with mode 0600 (never readable by others, not even for an instant)
    /// and chmod-ed again in case it existed (the journal itself is opened by JournalFile). On Windows nothing is
    /// changed: the default location under %LOCALAPPDATA% already inherits an ACL that grants only the user, SYSTEM
    /// and Administrators; a journal placed elsewhere with -JournalPath takes that folder's ACL, and the
    /// Start-E4Upgrade help says so rather than claiming owner-only there.
    /// </summary>
    internal static class OwnerOnlyFile
    {
        internal const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerOnlyDirectory = 0x1C0; // 0700
        private const int ORdWr = 0x2;

        public static bool IsUnix =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>Creates the file (0600 on Unix) if it does not exist, and makes sure an existing one is 0600.</summary>
        public static void EnsureFile(string path)
        {
            if (IsUnix)
            {
                if (!File.Exists(path))
                {
                    var fd = NativeMethods.open(path, ORdWr | CreateFlag | ExclusiveFlag, OwnerReadWrite);
                    if (fd < 0)
                    {
                        var errno = Marshal.GetLastWin32Error();
                        // Lost a race with another process creating it: fall through to chmod.
                        if (!File.Exists(path))
                        {
                            throw new IOException($"Could not create '{path}' (errno {errno}).");
                        }
                    }
                    else
                    {
                        NativeMethods.close(fd);
                    }
                }

                Chmod(path, OwnerReadWrite);
            }
            else if (!File.Exists(path))
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                {
                }
            }
        }

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

        private static int CreateFlag => RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 0x200 : 0x40;
        private static int ExclusiveFlag => RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 0x800 : 0x80;

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
            public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);

            [DllImport("libc", SetLastError = true)]
            public static extern int close(int fd);

            [DllImport("libc", SetLastError = true)]
            public static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);
        }
    }
}
