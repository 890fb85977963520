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
        /// <summary>
        /// Opens an existing file, or creates a new one (0600), locked for the run. Nothing about an existing file is
        /// changed here (no truncation, no chmod): only a regular file is accepted (a device, FIFO or socket is
        /// refused), and <see cref="MakeOwnerOnly"/> narrows it once it was read as a journal. The stream has no write
        /// buffer, so a failed write never waits in memory to fail again at Dispose.
        /// </summary>
        public static FileStream OpenForRun(string path)
        {
            JournalPathRules.Check(path);
            return OwnerOnlyFile.IsUnix ? OpenOnUnix(path) : OpenOnWindows(path);
        }

        /// <summary>A read-only view that takes no lock, so it works while a run holds the journal. Regular files only.</summary>
        public static FileStream OpenForReading(string path)
        {
            JournalPathRules.Check(path);
            if (!OwnerOnlyFile.IsUnix)
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                EnsureRegularOnWindows(stream, path);
                return stream;
            }

            // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
            var fd = Native.open(path, Native.ReadOnly | Native.NoFollow | Native.CloseOnExec | Native.NonBlocking | Native.NoControllingTerminal, 0);
            if (fd < 0)
            {
                // As a FileStream would fail, so that readers keep their own handling; only a link gets the journal's id.
                var errno = Marshal.GetLastWin32Error();
                if (errno == Native.Loop) throw LinkRefused(path);
                if (errno == Native.AccessDenied) throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                if (errno == Native.NoSuchFile) throw new FileNotFoundException($"Could not find file '{path}'.", path);
                throw new IOException($"Could not open '{path}' for reading (errno {errno}).");
            }

            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                EnsureRegularOnUnix(fd, path);
                return new FileStream(handle, FileAccess.Read, 4096);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>Narrows an adopted journal to its owner (0600 on Unix); nothing on Windows (see OwnerOnlyFile).</summary>
        public static void MakeOwnerOnly(FileStream stream, string path)
        {
            if (!OwnerOnlyFile.IsUnix)
            {
                return;
            }

            if (Native.fchmod((int)stream.SafeFileHandle.DangerousGetHandle(), OwnerOnlyFile.OwnerReadWrite) != 0)
            {
                throw Failure(path, Marshal.GetLastWin32Error(), "restrict");
            }
        }

        private static FileStream OpenOnUnix(string path)
        {
            var fd = Native.open(path,
                Native.ReadWrite | Native.Append | Native.Create | Native.NoFollow | Native.CloseOnExec | Native.NonBlocking | Native.NoControllingTerminal,
                OwnerOnlyFile.OwnerReadWrite);
            if (fd < 0)
            {
                throw Failure(path, Marshal.GetLastWin32Error(), "open");
            }

            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                EnsureRegularOnUnix(fd, path);
                if (!Native.TryLockWholeFile(fd, out var errno))
                {
                    if (errno == Native.WouldBlock || errno == Native.AccessDenied)
                    {
                        // Closed first: this process's own descriptor must not count as a holder.
                        handle.Dispose();
                        throw InUse(path, HoldersOnLinux(path));
                    }

                    throw Failure(path, errno, "lock");
                }

                // bufferSize 1: no write buffer on .NET and .NET Framework alike (a write of at least the buffer's size goes
                // straight to the file), so a full disk fails in Write, not again in Flush or Dispose.
                return new FileStream(handle, FileAccess.ReadWrite, 1);
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
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
                try
                {
                    EnsureRegularOnWindows(stream, path);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }

                return stream;
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

        private static void EnsureRegularOnUnix(int fd, string path)
        {
            var kind = Native.FileKind(fd);
            if (kind != Native.RegularFile)
            {
                throw NotARegularFile(path, Native.DescribeKind(kind));
            }
        }

        private static void EnsureRegularOnWindows(FileStream stream, string path)
        {
            // GetFileType: FILE_TYPE_DISK (1) for files; NUL, CON and COM ports are FILE_TYPE_CHAR (2), pipes FILE_TYPE_PIPE (3).
            var kind = WindowsNative.GetFileType(stream.SafeFileHandle);
            if (kind != 1)
            {
                throw NotARegularFile(path, kind == 2 ? "a character device" : kind == 3 ? "a pipe" : "not a file on a disk");
            }
        }

        internal static E4UpgradeException NotARegularFile(string path, string what) =>
            new E4UpgradeException(ErrorIds.NotAJournal, ErrorCategoryNames.InvalidArgument,
                $"'{path}' is {what}, not a regular file; a journal is a regular file. It was not changed. Pass the path of a journal, or of a file that does not exist yet.");

        internal static E4UpgradeException NotWritable(string path, string why) =>
            new E4UpgradeException(ErrorIds.JournalNotWritable, ErrorCategoryNames.PermissionDenied,
                $"The journal '{path}' cannot be written ({why}). Nothing was changed in the tenant. Pass a -JournalPath in a folder you can write to, " +
                "or fix the folder's permissions; an existing journal there is continued as soon as it can be written.");

        internal static E4UpgradeException WriteFailed(string path, string why, bool cutBack = true) =>
            new E4UpgradeException(ErrorIds.JournalWriteFailed, ErrorCategoryNames.WriteError,
                $"Writing the journal '{path}' failed ({why}); the run stopped so that no change goes unrecorded. " +
                (cutBack
                    ? "The journal was cut back to its last complete record and can be continued"
                    : "The journal could not be cut back now, so it may end in a partial line; the next run cuts that line off before it continues") +
                ": free space (or fix the disk) and run the same command again.");

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
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !Directory.Exists("/proc"))
            {
                return Array.Empty<string>();
            }

            var opens = new List<(int Pid, string Name)>();
            foreach (var dir in SafeEnumerate("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid)
                    && SafeEnumerate(Path.Combine(dir, "fd")).Any(fd => string.Equals(ReadLink(fd), path, StringComparison.Ordinal)))
                {
                    opens.Add((pid, Comm(dir)));
                }
            }

            return DescribeHolders(opens, Process.GetCurrentProcess().Id);
        }

        /// <summary>
        /// Words the holders. Called after the failed open's own descriptor was closed, so this process is listed only
        /// when another run in it holds the journal (ForEach-Object -Parallel, a second runspace).
        /// </summary>
        internal static IReadOnlyList<string> DescribeHolders(IEnumerable<(int Pid, string Name)> opens, int self) =>
            opens.Select(o => o.Pid == self ? $"another run in this process, {o.Pid}" : $"process {o.Pid} {o.Name}".TrimEnd()).ToList();

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
            public static int NonBlocking => Mac ? 0x4 : 0x800;
            public static int NoControllingTerminal => Mac ? 0x20000 : 0x100;
            public const int RegularFile = 0x8000; // S_IFREG, the same on Linux and macOS

            /// <summary>The S_IFMT bits of an open descriptor (S_IFREG, S_IFCHR, S_IFIFO, ...).</summary>
            public static int FileKind(int fd)
            {
                var buffer = new byte[256];
                int result;
                if (Mac)
                {
                    result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? fstat_inode64(fd, buffer) : fstat(fd, buffer);
                }
                else
                {
                    try
                    {
                        result = fstat(fd, buffer);
                    }
                    catch (EntryPointNotFoundException)
                    {
                        // glibc before 2.33 exports stat only as __fxstat (version 1 on x86_64, 0 on arm64).
                        result = __fxstat(Arm ? 0 : 1, fd, buffer);
                    }
                }

                if (result != 0)
                {
                    throw new IOException($"Could not read the file type (errno {Marshal.GetLastWin32Error()}).");
                }

                // st_mode: after st_dev (4 bytes) on macOS (16 bits); after st_dev, st_ino and st_nlink on x86_64 Linux;
                // after st_dev and st_ino on the generic 64-bit layout of arm64 Linux (include/uapi/asm-generic/stat.h).
                var mode = Mac ? BitConverter.ToUInt16(buffer, 4) : (int)BitConverter.ToUInt32(buffer, Arm ? 16 : 24);
                return mode & 0xF000;
            }

            public static string DescribeKind(int kind) => kind switch
            {
                0x2000 => "a character device",
                0x6000 => "a block device",
                0x1000 => "a FIFO (named pipe)",
                0xC000 => "a socket",
                0x4000 => "a folder",
                _ => "not a regular file",
            };

            [DllImport("libc", SetLastError = true)]
            private static extern int fstat(int fd, byte[] buffer);

            [DllImport("libc", SetLastError = true, EntryPoint = "fstat$INODE64")]
            private static extern int fstat_inode64(int fd, byte[] buffer);

            [DllImport("libc", SetLastError = true)]
            private static extern int __fxstat(int version, int fd, byte[] buffer);
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

        private static class WindowsNative
        {
            [DllImport("kernel32.dll", SetLastError = true)]
            public static extern int GetFileType(SafeFileHandle handle);
        }
    }
}
