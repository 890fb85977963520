using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>The user resource as Graph returns it: a default property set, $select, or the full object after a write.</summary>
internal static class UserJson
{
    private static readonly string[] DefaultProperties =
    {
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
        "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id",
    };

    private static readonly string[] FullProperties =
    {
        "id", "accountEnabled", "assignedLicenses", "businessPhones", "displayName", "givenName", "jobTitle", "mail",
        "mobilePhone", "officeLocation", "preferredLanguage", "surname", "usageLocation", "userPrincipalName",
    };

    public static JsonObject Default(UserState user, IReadOnlyList<string>? select) =>
        GraphJson.Select(select ?? DefaultProperties, name => Property(user, name));

    /// <summary>The user returned by assignLicense and reprocessLicenseAssignment.</summary>
    public static JsonObject Full(UserState user)
    {
        var result = GraphJson.Select(FullProperties, name => Property(user, name));
        if (user.Extra is not null)
        {
            foreach (var (key, value) in user.Extra)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    public static (string Name, JsonNode? Value) Property(UserState user, string name) =>
        name.ToLowerInvariant() switch
        {
            "id" => ("id", user.Id.ToString()),
            "userprincipalname" => ("userPrincipalName", user.UserPrincipalName),
            "displayname" => ("displayName", user.DisplayName),
            "mail" => ("mail", user.Mail),
            "usagelocation" => ("usageLocation", user.UsageLocation),
            "accountenabled" => ("accountEnabled", user.AccountEnabled),
            "assignedlicenses" => ("assignedLicenses", GraphJson.EffectiveLicenses(user.Assignments)),
            "licenseassignmentstates" => ("licenseAssignmentStates", GraphJson.AssignmentStates(user.Assignments)),
            "businessphones" => ("businessPhones", Extra(user, "businessPhones") ?? new JsonArray()),
            _ => (name, Extra(user, name)),
        };

    private static JsonNode? Extra(UserState user, string name)
    {
        if (user.Extra is null)
        {
            return null;
        }

        foreach (var (key, value) in user.Extra)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value?.DeepClone();
            }
        }

        return null;
    }
}
