using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Pipeline;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>/users, /users/{id|userPrincipalName} and its licensing actions.</summary>
internal sealed class UserEndpoints
{
    private readonly TenantHolder holder;
    private readonly InjectedFaults injected;

    /// <param name="injected">Counted fault injections (--inject); none when null.</param>
    public UserEndpoints(TenantHolder holder, InjectedFaults? injected = null)
    {
        this.holder = holder;
        this.injected = injected ?? new InjectedFaults(new Dictionary<string, int>());
    }

    public GraphResponse List(GraphRequest request)
    {
        var query = ListQuery.Parse(request, "User", allowGroupFilters: false, out var error);
        if (query is null)
        {
            return error!;
        }

        var tenant = holder.Current;
        var now = DateTimeOffset.UtcNow;
        lock (tenant.Gate)
        {
            var replica = tenant.Replica;
            if (query.SkuFilter is { } skuId)
            {
                var holders = tenant.UsersHolding(skuId);
                IEnumerable<int> candidates = holders is null ? Enumerable.Empty<int>() : holders.GetViewBetween(query.AfterOrdinal + 1, int.MaxValue);
                if (replica.Enabled)
                {
                    // A lagging replica may still list a user who just lost the SKU, or not yet one who just got it.
                    var views = Merge(candidates, replica.RecentlyWrittenUsers(query.AfterOrdinal, tenant, now))
                        .Select(o => (Ordinal: o, View: replica.Read(tenant.Users[o], now)))
                        .Where(v => v.View.Assignments.Any(a => a.IsActive && a.SkuId == skuId));
                    return GraphResponse.Ok(query.Page(
                        "users",
                        views.Select(v => (v.Ordinal, (Func<JsonObject>)(() => UserJson.Default(v.View, query.Select)))),
                        query.Count ? holders?.Count ?? 0 : null));
                }

                var page = holders is null
                    ? query.Page("users", Enumerable.Empty<(int, Func<JsonObject>)>(), 0)
                    : query.Page(
                        "users",
                        candidates.Select(o => (o, (Func<JsonObject>)(() => UserJson.Default(tenant.Users[o], query.Select)))),
                        query.Count ? holders.Count : null);
                return GraphResponse.Ok(page);
            }

            var users = tenant.Users;
            var start = query.AfterOrdinal + 1;
            return GraphResponse.Ok(query.Page(
                "users",
                Enumerable.Range(start, Math.Max(0, users.Count - start))
                    .Select(o => (o, (Func<JsonObject>)(() => UserJson.Default(replica.Read(users[o], now), query.Select)))),
                users.Count));
        }
    }

    public GraphResponse Get(GraphRequest request, string key)
    {
        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var user = tenant.FindUser(key);
            if (user is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var body = UserJson.Default(tenant.Replica.Read(user, DateTimeOffset.UtcNow), ListQuery.ParseSelect(request));
            body.Insert(0, "@odata.context", $"{request.GraphBaseUrl}/$metadata#users/$entity");
            return GraphResponse.Ok(body);
        }
    }

    public GraphResponse Patch(GraphRequest request, string key)
    {
        if (request.Body is not JsonObject changes)
        {
            return GraphErrors.InvalidJson();
        }

        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var user = tenant.FindUser(key);
            if (user is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            foreach (var (name, value) in changes)
            {
                var error = Validate(name, value);
                if (error is not null)
                {
                    return error;
                }
            }

            tenant.BeforePropertyWrite(user);
            foreach (var (name, value) in changes)
            {
                Apply(user, name, value);
            }

            tenant.AfterPropertyWrite(user);
            return GraphResponse.NoContent();
        }
    }

    public GraphResponse LicenseDetails(GraphRequest request, string key)
    {
        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var found = tenant.FindUser(key);
            if (found is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var now = DateTimeOffset.UtcNow;
            var user = tenant.Replica.Read(found, now);
            var value = new JsonArray();
            foreach (var license in GraphJson.EffectiveLicenses(user.Assignments).OfType<JsonObject>())
            {
                var skuId = Guid.Parse(license["skuId"]!.GetValue<string>());
                if (tenant.Skus.TryGetValue(skuId, out var sku))
                {
                    var disabled = license["disabledPlans"]!.AsArray().Select(p => Guid.Parse(p!.GetValue<string>())).ToArray();
                    value.Add(SkuJson.LicenseDetail(user, sku, disabled, now));
                }
            }

            return GraphResponse.Ok(new JsonObject
            {
                ["@odata.context"] = $"{request.GraphBaseUrl}/$metadata#users('{user.Id}')/licenseDetails",
                ["value"] = value,
            });
        }
    }

    public GraphResponse AssignLicense(GraphRequest request, string key)
    {
        var change = LicenseChangeRequest.Parse(request.Body, out var parseError);
        if (change is null)
        {
            return parseError!;
        }

        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var user = tenant.FindUser(key);
            if (user is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var now = DateTimeOffset.UtcNow;
            if (change.Add.Count > 0 && UsageLocationJustSet(tenant, user, now)
                && ((injected.Pending(InjectedFaultKinds.StaleUsageLocation) && injected.Take(InjectedFaultKinds.StaleUsageLocation))
                    || (tenant.Settings.StaleUsageLocation && tenant.Replica.StaleCoin())))
            {
                return GraphErrors.BadRequest(UserLicenseAssigner.UsageLocationMessage);
            }

            var addInError = change.Add.Count > 0 && injected.Pending(InjectedFaultKinds.ErrorState);
            var error = UserLicenseAssigner.Apply(tenant, user, change, now, out var changed, addInError);
            if (error is not null)
            {
                return error;
            }

            if (changed)
            {
                if (addInError)
                {
                    injected.Take(InjectedFaultKinds.ErrorState);
                }

                tenant.RecordLicenseWrite(user);
                if (injected.Take(InjectedFaultKinds.LostAnswer))
                {
                    return GraphErrors.Create(504, "GatewayTimeout", "The request timed out while waiting for the backend.");
                }
            }

            return UserEntity(request, user);
        }
    }

    /// <summary>The user's latest write set its usage location, and is still within the replication lag.</summary>
    private static bool UsageLocationJustSet(TenantState tenant, UserState user, DateTimeOffset now) =>
        user.Previous is { } before && string.IsNullOrWhiteSpace(before.UsageLocation) && !string.IsNullOrWhiteSpace(user.UsageLocation)
        && tenant.Replica.WrittenWithinLag(user, now);

    public GraphResponse Reprocess(GraphRequest request, string key)
    {
        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var user = tenant.FindUser(key);
            if (user is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            GroupLicenseInheritance.Reprocess(tenant, user, DateTimeOffset.UtcNow);
            return UserEntity(request, user);
        }
    }

    private static GraphResponse UserEntity(GraphRequest request, UserState user)
    {
        var body = UserJson.Full(user);
        body.Insert(0, "@odata.context", $"{request.GraphBaseUrl}/$metadata#users/$entity");
        return GraphResponse.Ok(body);
    }

    private static GraphResponse? Validate(string name, JsonNode? value)
    {
        switch (name.ToLowerInvariant())
        {
            case "id":
            case "userprincipalname":
            case "assignedlicenses":
            case "licenseassignmentstates":
                return GraphErrors.BadRequest($"Property '{name}' is read-only and cannot be set.");
            case "usagelocation":
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                return value is null || (text is not null && CountryCodes.IsAssigned(text))
                    ? null
                    : GraphErrors.BadRequest(InvalidUsageLocationMessage);
            case "accountenabled":
                return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? null
                    : GraphErrors.BadRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
            default:
                return null;
        }
    }

    private static void Apply(UserState user, string name, JsonNode? value)
    {
        switch (name.ToLowerInvariant())
        {
            case "usagelocation": user.UsageLocation = value?.GetValue<string>().ToUpperInvariant(); break;
            case "displayname": user.DisplayName = value?.ToString(); break;
            case "mail": user.Mail = value?.ToString(); break;
            case "accountenabled": user.AccountEnabled = value!.GetValue<bool>(); break;
            default:
                user.Extra ??= new JsonObject();
                user.Extra[name] = value?.DeepClone();
                break;
        }
    }

    /// <summary>
    /// Graph's text as relayed by Okta's Office 365 connector for usageLocation "UK" (Okta KB "HTTP 400 BadRequest
    /// 'Property usageLocation is invalid.'"). The error code is not quoted there; Request_BadRequest is the directory's 400 code.
    /// </summary>
    public const string InvalidUsageLocationMessage = "Property usageLocation is invalid.";

    private static IEnumerable<int> Merge(IEnumerable<int> sorted, IReadOnlyList<int> moreSorted)
    {
        var i = 0;
        foreach (var ordinal in sorted)
        {
            for (; i < moreSorted.Count && moreSorted[i] < ordinal; i++)
            {
                yield return moreSorted[i];
            }

            if (i < moreSorted.Count && moreSorted[i] == ordinal)
            {
                i++;
            }

            yield return ordinal;
        }

        for (; i < moreSorted.Count; i++)
        {
            yield return moreSorted[i];
        }
    }
}
