using System;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Checks that a caller's user key can name a user: an object id (GUID) or a userPrincipalName.</summary>
    internal static class UserKey
    {
        public static bool IsValid(string key, out string why)
        {
            why = "";
            if (key.Length == 0)
            {
                why = "No user id or userPrincipalName was given (blank input).";
                return false;
            }

            if (Guid.TryParse(key, out _))
            {
                return true;
            }

            var at = key.IndexOf('@');
            if (at <= 0 || at == key.Length - 1)
            {
                why = $"'{key}' is neither an object id (GUID) nor a userPrincipalName (name@domain).";
                return false;
            }

            foreach (var c in key)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '\\' || c == '?')
                {
                    why = $"'{key}' is not a valid userPrincipalName (it contains '{(char.IsWhiteSpace(c) ? "whitespace" : c.ToString())}').";
                    return false;
                }
            }

            return true;
        }
    }
}
