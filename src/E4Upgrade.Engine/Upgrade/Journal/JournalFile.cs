using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Opens the journal file for one run: exclusively, for the whole run, in append mode, never through a link.
    /// On Unix the file is opened by libc open(O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW, 0600) and write-locked: a
    /// second run (another process, or another open in the same process as with ForEach-Object -Parallel) fails at
    /// once with JournalInUse. On Linux the lock is an open-file-description lock (fcntl F_OFD_SETLK): it binds per
    /// open like flock, but does not conflict with the shared flock .NET takes for a reader, so Get-Content and the
    /// journal readers keep working while a run holds the journal. macOS has no such lock: there it is
    /// flock(LOCK_EX | LOCK_NB), and .NET readers wait until the run ends.
    /// On Windows the share mode does the same (FileShare.Read: others may read, nobody else may write), and a file
    /// that is a reparse point (symbolic link) is refused.
    /// </summary>
    internal static class JournalFile
    {
        public static FileStream OpenForRun(string path)
        {
            return OwnerOnlyFile.IsUnix ? OpenOnUnix(path) : OpenOnWindows(path);
        }

        /// <summary>A read-only view that takes no lock, so it works while a run holds the journal.</summary>
        public static FileStream OpenForReading(string path)
        {
            if (!OwnerOnlyFile.IsUnix)
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }

            var fd = Native.open(path, Native.ReadOnly | Native.NoFollow | Native.CloseOnExec, 0);
            if (fd < 0)
            {
                // As a FileStream would fail, so that readers keep their own handling; only a link gets the journal's id.
                var errno = Marshal.GetLastWin32Error();
                if (errno == Native.Loop) throw LinkRefused(path);
                if (errno == Native.AccessDenied) throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                if (errno == Native.NoSuchFile) throw new FileNotFoundException($"Could not find file '{path}'.", path);
                throw new IOException($"Could not open '{path}' for reading (errno {errno}).");
            }

            return new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Read, 4096);
        }

        private static FileStream OpenOnUnix(string path)
        {
            var fd = Native.open(path, Native.ReadWrite | Native.Append | Native.Create | Native.NoFollow | Native.CloseOnExec, OwnerOnlyFile.OwnerReadWrite);
            if (fd < 0)
            {
                throw Failure(path, Marshal.GetLastWin32Error(), "open");
            }

            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                if (!Native.TryLockWholeFile(fd, out var errno))
                {
                    if (errno == Native.WouldBlock || errno == Native.AccessDenied)
                    {
                        throw InUse(path, HoldersOnLinux(path));
                    }

                    throw Failure(path, errno, "lock");
                }

                // An existing file may have been created wider by something else: narrow it to its owner.
                if (Native.fchmod(fd, OwnerOnlyFile.OwnerReadWrite) != 0)
                {
                    throw Failure(path, Marshal.GetLastWin32Error(), "restrict");
                }

                return new FileStream(handle, FileAccess.ReadWrite, 4096);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static FileStream OpenOnWindows(string path)
        {
            if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
            {
                throw LinkRefused(path);
            }

            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
            }
            catch (IOException ex) when ((ex.HResult & 0xFFFF) == 32 || (ex.HResult & 0xFFFF) == 33)
            {
                // ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION: Windows does not say who holds it.
                throw InUse(path, Array.Empty<string>());
            }
            catch (UnauthorizedAccessException ex)
            {
                throw NotWritable(path, ex.Message);
            }
        }

        internal static E4UpgradeException NotWritable(string path, string why) =>
            new E4UpgradeException(ErrorIds.JournalNotWritable, ErrorCategoryNames.PermissionDenied,
                $"The journal '{path}' cannot be written ({why}). Nothing was changed in the tenant. Pass a -JournalPath in a folder you can write to, " +
                "or fix the folder's permissions; an existing journal there is continued as soon as it can be written.");

        internal static E4UpgradeException WriteFailed(string path, string why) =>
            new E4UpgradeException(ErrorIds.JournalWriteFailed, ErrorCategoryNames.WriteError,
                $"Writing the journal '{path}' failed ({why}); the run stopped so that no change goes unrecorded. The journal was cut back to " +
                "its last complete record and can be continued: free space (or fix the disk) and run the same command again.");

        private static E4UpgradeException LinkRefused(string path) =>
            new E4UpgradeException(ErrorIds.JournalIsLink, ErrorCategoryNames.SecurityError,
                $"The journal path '{path}' is a symbolic link; E4Upgrade does not follow links for its journal (another user could point it at a file of theirs). " +
                "Pass the real file's path with -JournalPath.");

        private static E4UpgradeException InUse(string path, IReadOnlyList<string> holders) =>
            new E4UpgradeException(ErrorIds.JournalInUse, ErrorCategoryNames.ResourceBusy,
                $"The journal '{path}' is in use by another run" +
                (holders.Count > 0 ? " (" + string.Join("; ", holders) + ")" : " (the operating system does not say which process holds it)") +
                ". Two runs on one journal would corrupt it: wait for the other run to end, or stop it, then run again. " +
                "After Ctrl-C the stopped run may hold it for up to a minute while its last request ends.");

        private static Exception Failure(string path, int errno, string what)
        {
            if (errno == Native.Loop)
            {
                return LinkRefused(path);
            }

            if (errno == Native.NoSpace)
            {
                return WriteFailed(path, "no space left on the device");
            }

            if (errno == Native.AccessDenied || errno == Native.ReadOnlyFileSystem || errno == Native.NotPermitted)
            {
                return NotWritable(path, errno == Native.ReadOnlyFileSystem ? "read-only file system" : "permission denied");
            }

            return NotWritable(path, $"{what} failed with errno {errno}");
        }

        /// <summary>The processes that have the journal open, from /proc (Linux only); empty where the OS cannot tell.</summary>
        private static IReadOnlyList<string> HoldersOnLinux(string path)
        {
            var holders = new List<string>();
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !Directory.Exists("/proc"))
            {
                return holders;
            }

            var self = Process.GetCurrentProcess().Id;
            foreach (var dir in SafeEnumerate("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                var opens = SafeEnumerate(Path.Combine(dir, "fd")).Count(fd => string.Equals(ReadLink(fd), path, StringComparison.Ordinal));
                // This process holds the run's own descriptor only after a successful open; any match here is another run.
                if (opens > 0)
                {
                    holders.Add(pid == self ? $"another run in this process, {pid}" : $"process {pid} {Comm(dir)}".TrimEnd());
                }
            }

            return holders;
        }

        private static IEnumerable<string> SafeEnumerate(string directory)
        {
            try
            {
                return Directory.GetFileSystemEntries(directory);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        private static string Comm(string procDir)
        {
            try
            {
                return "(" + File.ReadAllText(Path.Combine(procDir, "comm")).Trim() + ")";
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return "";
            }
        }

        private static string? ReadLink(string link)
        {
            var buffer = new byte[4096];
            var length = (long)Native.readlink(link, buffer, (IntPtr)buffer.Length);
            return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        private static class Native
        {
            private static bool Mac => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            private static bool Arm => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm;

            public const int ReadOnly = 0x0;
            public const int ReadWrite = 0x2;
            public static int Append => Mac ? 0x8 : 0x400;
            public static int Create => Mac ? 0x200 : 0x40;
            // Linux on ARM numbers O_NOFOLLOW differently from x86 (arch/arm64/include/uapi/asm/fcntl.h).
            public static int NoFollow => Mac ? 0x100 : (Arm ? 0x8000 : 0x20000);
            public static int CloseOnExec => Mac ? 0x1000000 : 0x80000;
            public const int LockExclusive = 2;
            public const int LockNonBlocking = 4;
            public static int WouldBlock => Mac ? 35 : 11;
            public static int Loop => Mac ? 62 : 40;
            public const int NotPermitted = 1;
            public const int NoSuchFile = 2;
            public const int AccessDenied = 13;
            public const int NoSpace = 28;
            public const int ReadOnlyFileSystem = 30;

            [DllImport("libc", SetLastError = true)]
            public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, int mode);

            [DllImport("libc", SetLastError = true)]
            public static extern int flock(int fd, int operation);

            // struct flock of Linux on 64-bit (x86_64 and arm64 alike): short, short, off_t, off_t, pid_t.
            [StructLayout(LayoutKind.Sequential)]
            public struct FileLock
            {
                public short Type;
                public short Whence;
                public long Start;
                public long Length;
                public int Pid;
            }

            private const int OpenFileDescriptionSetLock = 37; // F_OFD_SETLK, Linux 3.15+
            private const short WriteLock = 1; // F_WRLCK

            [DllImport("libc", SetLastError = true, EntryPoint = "fcntl")]
            private static extern int fcntl(int fd, int command, ref FileLock fileLock);

            public static bool TryLockWholeFile(int fd, out int errno)
            {
                errno = 0;
                if (!Mac && IntPtr.Size == 8)
                {
                    var whole = new FileLock { Type = WriteLock, Whence = 0, Start = 0, Length = 0, Pid = 0 };
                    if (fcntl(fd, OpenFileDescriptionSetLock, ref whole) == 0)
                    {
                        return true;
                    }

                    errno = Marshal.GetLastWin32Error();
                    return false;
                }

                if (flock(fd, LockExclusive | LockNonBlocking) == 0)
                {
                    return true;
                }

                errno = Marshal.GetLastWin32Error();
                return false;
            }

            [DllImport("libc", SetLastError = true)]
            public static extern int fchmod(int fd, int mode);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr readlink([MarshalAs(UnmanagedType.LPStr)] string path, byte[] buffer, IntPtr size);
        }
    }
}
