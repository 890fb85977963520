namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 compile init-only properties (PendingUser's states); .NET 5 and later define it.</summary>
    internal static class IsExternalInit
    {
    }
}
