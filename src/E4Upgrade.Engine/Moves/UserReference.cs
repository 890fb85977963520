namespace E4Upgrade.Engine.Moves
{
    /// <summary>A user as the caller named them: an object id or a userPrincipalName.</summary>
    public sealed class UserReference
    {
        public UserReference(string key, string? userPrincipalName = null)
        {
            Key = key;
            UserPrincipalName = userPrincipalName;
        }

        /// <summary>Object id or UPN, as given.</summary>
        public string Key { get; }
        public string? UserPrincipalName { get; }
    }
}
