using System;
using System.Collections;
using System.Management.Automation;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Finds the user identity values in whatever the pipeline carries: a string (object id or UPN), an object with
    /// UserPrincipalName, Id, UserId or ObjectId (Import-Csv rows, Get-MgUser output, our own results), or a
    /// hashtable with those keys (read like an object's properties). Which value names the user is
    /// <see cref="UserIdentity"/>'s decision.
    /// </summary>
    internal static class UserIdentityReader
    {
        private static readonly string[] IdProperties = { "Id", "UserId", "ObjectId" };
        private static readonly string[] UpnProperties = { "UserPrincipalName", "UPN" };

        public static UserReference Read(object? input)
        {
            var value = input is PSObject ps ? ps.BaseObject : input;
            switch (value)
            {
                case null:
                    throw UserIdentity.NullInput();
                case string text:
                    return UserIdentity.FromText(text);
                case IDictionary table:
                    return UserIdentity.FromRow(FirstValue(table, IdProperties), FirstValue(table, UpnProperties));
                default:
                    var item = input as PSObject ?? PSObject.AsPSObject(value);
                    return UserIdentity.FromRow(FirstValue(item, IdProperties), FirstValue(item, UpnProperties));
            }
        }

        private static string? FirstValue(PSObject item, string[] names)
        {
            foreach (var name in names)
            {
                var value = item.Properties[name]?.Value?.ToString();
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return value;
                }
            }

            return null;
        }

        /// <summary>Keys compared case-insensitively, as PowerShell compares property names (a @{} is case-insensitive already).</summary>
        private static string? FirstValue(IDictionary table, string[] names)
        {
            foreach (var name in names)
            {
                foreach (DictionaryEntry entry in table)
                {
                    if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        var value = (entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value)?.ToString();
                        if (!string.IsNullOrWhiteSpace(value))
                        {
                            return value;
                        }
                    }
                }
            }

            return null;
        }
    }
}
