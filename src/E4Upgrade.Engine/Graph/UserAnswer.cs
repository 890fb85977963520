using System;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>Whether a user object Graph answered with is the user the request named: the key is its object id or its userPrincipalName.</summary>
    internal static class UserAnswer
    {
        public static bool IsFor(string key, UserLicenses user)
        {
            var asked = (key ?? "").Trim();
            if (Guid.TryParse(asked, out var askedId))
            {
                return Guid.TryParse(user.Id, out var answeredId) && askedId == answeredId;
            }

            // GET /users/{userPrincipalName} finds the user whatever the case of the name, so the case may differ.
            return string.Equals(asked, user.Id, StringComparison.OrdinalIgnoreCase)
                || string.Equals(asked, user.UserPrincipalName, StringComparison.OrdinalIgnoreCase);
        }
    }
}
