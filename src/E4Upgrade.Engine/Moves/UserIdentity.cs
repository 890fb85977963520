using System;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// Turns what an input row says about a user (an id column, a userPrincipalName column, or one text) into the
    /// <see cref="UserReference"/> to move, or <see cref="ErrorIds.InvalidUserIdentity"/>. The cmdlet only finds the
    /// values in whatever the pipeline carries; which of them names the user is decided here.
    /// </summary>
    public static class UserIdentity
    {
        /// <summary>A string from the pipeline: an object id (GUID) or a userPrincipalName.</summary>
        public static UserReference FromText(string? text)
        {
            if (TryFromText(text, out var reference, out var why))
            {
                return reference;
            }

            throw Invalid(why);
        }

        /// <summary>
        /// A row with an id and/or a userPrincipalName: a usable id wins (the UPN is kept for display); an id that names
        /// no user (Id='1' in a CSV whose Id column is a row number) gives way to a valid UPN beside it.
        /// </summary>
        public static UserReference FromRow(string? id, string? userPrincipalName)
        {
            var upn = string.IsNullOrWhiteSpace(userPrincipalName) ? null : userPrincipalName!.Trim();
            if (!string.IsNullOrWhiteSpace(id))
            {
                if (TryFromText(id, out var byId, out var idWhy))
                {
                    return new UserReference(byId.Key, upn);
                }

                if (upn == null)
                {
                    throw Invalid(idWhy);
                }
            }

            if (upn != null)
            {
                return FromText(upn);
            }

            throw Invalid("The input object has no Id, UserId, ObjectId or UserPrincipalName value. Check the CSV header and blank rows.");
        }

        /// <summary>A $null pipeline item (a blank row of a list, a failed lookup): still one result.</summary>
        public static E4UpgradeException NullInput() =>
            Invalid("The input is $null: no user id or userPrincipalName was given.");

        private static bool TryFromText(string? text, out UserReference reference, out string why)
        {
            reference = null!;
            var key = (text ?? "").Trim();
            if (key.Length == 0)
            {
                why = "The user identity is empty.";
                return false;
            }

            if (key.IndexOf('@') > 0)
            {
                reference = new UserReference(key, key);
                why = "";
                return true;
            }

            if (Guid.TryParse(key, out var id))
            {
                reference = new UserReference(id.ToString());
                why = "";
                return true;
            }

            why = $"'{key}' is neither a user object id (GUID) nor a userPrincipalName.";
            return false;
        }

        private static E4UpgradeException Invalid(string message) =>
            new E4UpgradeException(ErrorIds.InvalidUserIdentity, ErrorCategoryNames.InvalidArgument, message);
    }
}
