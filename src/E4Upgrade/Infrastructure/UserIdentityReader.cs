using System;
using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Reads a user identity from whatever the pipeline carries: a string (object id or UPN), or an object with
    /// UserPrincipalName, Id, UserId or ObjectId (Import-Csv rows, Get-MgUser output, our own results).
    /// </summary>
    internal static class UserIdentityReader
    {
        private static readonly string[] IdProperties = { "Id", "UserId", "ObjectId" };
        private static readonly string[] UpnProperties = { "UserPrincipalName", "UPN" };

        public static UserReference Read(object? input)
        {
            var value = input is PSObject ps ? ps.BaseObject : input;
            if (value is string text)
            {
                return FromText(text, input);
            }

            var item = input as PSObject ?? PSObject.AsPSObject(value);
            var id = FirstValue(item, IdProperties);
            var upn = FirstValue(item, UpnProperties);
            if (!string.IsNullOrWhiteSpace(id))
            {
                var reference = FromText(id!, input);
                return new UserReference(reference.Key, string.IsNullOrWhiteSpace(upn) ? null : upn!.Trim());
            }

            if (!string.IsNullOrWhiteSpace(upn))
            {
                return FromText(upn!, input);
            }

            throw Invalid("The input object has no Id, UserId, ObjectId or UserPrincipalName value. Check the CSV header and blank rows.");
        }

        private static UserReference FromText(string text, object? input)
        {
            var key = text.Trim();
            if (key.Length == 0)
            {
                throw Invalid("The user identity is empty.");
            }

            if (key.IndexOf('@') > 0)
            {
                return new UserReference(key, key);
            }

            if (Guid.TryParse(key, out var id))
            {
                return new UserReference(id.ToString());
            }

            throw Invalid($"'{key}' is neither a user object id (GUID) nor a userPrincipalName.");
        }

        private static string? FirstValue(PSObject item, string[] names)
        {
            foreach (var name in names)
            {
                var property = item.Properties[name];
                var value = property?.Value?.ToString();
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return value;
                }
            }

            return null;
        }

        private static E4UpgradeException Invalid(string message) =>
            new E4UpgradeException(ErrorIds.InvalidUserIdentity, ErrorCategoryNames.InvalidArgument, message);
    }
}
