using System;
using System.Runtime.InteropServices;
using System.Security;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>Reads a SecureString at the moment of use, releasing the unmanaged copy at once.</summary>
    internal static class SecureStringReader
    {
        public static string Read(SecureString secure)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer) ?? "";
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        public static bool IsNullOrEmpty(SecureString? secure) => secure == null || secure.Length == 0;
    }
}
