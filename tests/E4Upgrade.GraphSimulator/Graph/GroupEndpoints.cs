using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>/groups, group-based licensing and the member views.</summary>
internal sealed class GroupEndpoints
{
    private readonly TenantHolder holder;
    private readonly IGroupLicenseScheduler processor;

    public GroupEndpoints(TenantHolder holder, IGroupLicenseScheduler processor)
    {
        this.holder = holder;
        this.processor = processor;
    }

    public GraphResponse List(GraphRequest request)
    {
        var query = ListQuery.Parse(request, "Group", allowGroupFilters: true, out var error);
        if (query is null)
        {
            return error!;
        }

        var tenant = holder.Current;
        var now = DateTimeOffset.UtcNow;
        lock (tenant.Gate)
        {
            var matching = tenant.Groups
                .Select((group, ordinal) => (group: tenant.Replica.Read(group, now), ordinal))
                .Where(g => query.SkuFilter is not { } sku || g.group.Licenses.Any(l => l.SkuId == sku))
                .Where(g => !query.HasMembersWithLicenseErrorsFilter || HasMembersWithErrors(tenant, g.group))
                .ToList();
            return GraphResponse.Ok(query.Page(
                "groups",
                matching.Where(g => g.ordinal > query.AfterOrdinal)
                    .Select(g => (g.ordinal, (Func<JsonObject>)(() => GroupJson.Build(g.group, query.Select)))),
                matching.Count));
        }
    }

    public GraphResponse Get(GraphRequest request, string key)
    {
        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var group = tenant.FindGroup(key);
            if (group is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var body = GroupJson.Build(tenant.Replica.Read(group, DateTimeOffset.UtcNow), ListQuery.ParseSelect(request));
            body.Insert(0, "@odata.context", $"{request.GraphBaseUrl}/$metadata#groups/$entity");
            return GraphResponse.Ok(body);
        }
    }

    public GraphResponse Members(GraphRequest request, string key, bool onlyWithLicenseErrors)
    {
        var query = ListQuery.Parse(request, "User", allowGroupFilters: false, out var error);
        if (query is null)
        {
            return error!;
        }

        var tenant = holder.Current;
        lock (tenant.Gate)
        {
            var group = tenant.FindGroup(key);
            if (group is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var now = DateTimeOffset.UtcNow;
            var members = group.MemberOrdinals
                .Select((ordinal, position) => (ordinal, position))
                .Where(m => m.position > query.AfterOrdinal)
                .Select(m => (user: tenant.Replica.Read(tenant.Users[m.ordinal], now), m.position))
                .Where(m => !onlyWithLicenseErrors || GroupLicenseInheritance.HasErrorsFrom(m.user, group.Id))
                .Where(m => query.SkuFilter is not { } sku || m.user.Assignments.Any(a => a.IsActive && a.SkuId == sku));
            return GraphResponse.Ok(query.Page(
                "directoryObjects",
                members.Select(m => (m.position, (Func<JsonObject>)(() => Member(m.user, query.Select)))),
                null));
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
            var group = tenant.FindGroup(key);
            if (group is null)
            {
                return GraphErrors.UserNotFound(key);
            }

            var error = Validate(tenant, group, change);
            if (error is not null)
            {
                return error;
            }

            var now = DateTimeOffset.UtcNow;
            var next = group.Licenses.Where(l => !change.Remove.Contains(l.SkuId)).ToList();
            foreach (var add in change.Add)
            {
                next.RemoveAll(l => l.SkuId == add.SkuId);
                next.Add(new LicenseAssignment(add.SkuId, add.DisabledPlans, group.Id, null, now));
            }

            if (MissingPrerequisite(tenant, group, next) is { } violation)
            {
                tenant.Counters.DependencyViolations++;
                return GraphErrors.BadRequest(violation.Message);
            }

            tenant.Replica.BeforeWrite(group, now);
            group.Licenses = next.ToArray();
            processor.Schedule(tenant, group);
            var body = GroupJson.Build(group, null);
            body.Insert(0, "@odata.context", $"{request.GraphBaseUrl}/$metadata#groups/$entity");
            return new GraphResponse(202, body)
                .WithHeader("Location", $"{request.GraphBaseUrl}/directoryObjects/{group.Id}/Microsoft.DirectoryServices.Group");
        }
    }

    private static GraphResponse? Validate(TenantState tenant, GroupState group, LicenseChangeRequest change)
    {
        if (change.Add.Count == 0 && change.Remove.Count == 0)
        {
            return GraphErrors.BadRequest(UserLicenseAssigner.NoChangesMessage);
        }

        foreach (var skuId in change.Add.Select(a => a.SkuId).Concat(change.Remove))
        {
            if (!tenant.Skus.ContainsKey(skuId))
            {
                return GraphErrors.BadRequest(UserLicenseAssigner.UnknownSkuMessage(skuId));
            }
        }

        foreach (var add in change.Add)
        {
            var sku = tenant.Skus[add.SkuId];
            if (string.Equals(sku.AppliesTo, "Company", StringComparison.OrdinalIgnoreCase))
            {
                return GraphErrors.BadRequest(UserLicenseAssigner.CompanySkuMessage(add.SkuId));
            }

            var stray = add.DisabledPlans.FirstOrDefault(p => !sku.PlanIds.Contains(p));
            if (stray != Guid.Empty)
            {
                return GraphErrors.BadRequest(UserLicenseAssigner.PlanNotInSkuMessage(stray, add.SkuId));
            }
        }

        var missing = change.Remove.FirstOrDefault(s => group.Licenses.All(l => l.SkuId != s));
        return missing != Guid.Empty ? GraphErrors.BadRequest("Group does not have a corresponding license.") : null;
    }

    /// <summary>
    /// With the licensing rules on, a group must hold an add-on plan's prerequisite itself: entra-docs
    /// licensing-groups-resolve-problems.md requires "both the prerequisite and add-on service plans be present in the
    /// same group", and public scripts catch "depends on the service plan(s)" straight from group assignLicense. Only
    /// dependencies the change newly breaks in the group's own licenses count (members' other licenses do not help).
    /// </summary>
    private static RuleViolation? MissingPrerequisite(TenantState tenant, GroupState group, IReadOnlyList<LicenseAssignment> next) =>
        tenant.Settings.Rules is { } rules
            ? EnabledPlans.NewViolations(tenant, rules, group.Licenses, next).FirstOrDefault(v => v.AssignmentError == RuleViolation.Dependency)
            : null;

    private static bool HasMembersWithErrors(TenantState tenant, GroupState group) =>
        group.MemberOrdinals.Any(o => GroupLicenseInheritance.HasErrorsFrom(tenant.Users[o], group.Id));

    private static JsonObject Member(UserState user, IReadOnlyList<string>? select)
    {
        var body = UserJson.Default(user, select);
        body.Insert(0, "@odata.type", "#microsoft.graph.user");
        return body;
    }
}
