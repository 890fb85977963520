using System.Text.Json;
using System.Text.Json.Nodes;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using E4Upgrade.GraphSimulator.Graph;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Tenant;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;
using EngineResponse = E4Upgrade.Engine.Graph.GraphResponse;
using ModelAssignment = E4Upgrade.GraphSimulator.Tenant.LicenseAssignment;

namespace E4Upgrade.Engine.Tests;

/// <summary>
/// The Graph simulator's tenant and licensing model, driven in this process: every answer comes from the simulator's
/// own endpoints (its GraphRouter over its TenantState: the code that answers over HTTP, without the throttling
/// pipeline) and is read back through the engine's own mapping (WriteOutcomeMapper, GraphModelMapper), as the real
/// gateway reads it. No licensing rule is written here; the fakes put fault injection and recording on top.
/// A group license change reaches the members once <see cref="GroupProcessingPolls"/> member listings have seen it
/// queued (Entra applies it asynchronously; the tests decide when).
/// </summary>
internal sealed class SimulatedTenant : IGroupLicenseScheduler
{
    private const string BaseUrl = "https://graph.microsoft.com/v1.0";
    private static readonly RetryAfterHeader RetryAfter = new();
    private static readonly string UserSelect = string.Join(",", GraphLicensingGateway.UserFields);
    private static readonly string GroupSelect = string.Join(",", GraphLicensingGateway.GroupFields);

    private readonly TenantState _tenant;
    private readonly GraphRouter _router;
    private readonly SkuDefinitions _skus;
    private readonly Dictionary<Guid, int> _pendingGroupPolls = new();
    private readonly Dictionary<int, FakeUser> _userViews = new();

    /// <param name="skus">The tenant's SKUs as the test defines them; the test may add to or change them at any time.</param>
    public SimulatedTenant(IReadOnlyList<SkuInfo> skus)
    {
        _skus = new SkuDefinitions(skus);
        _tenant = new TenantState("00000000-0000-0000-0000-0000000000e4", TenantSettings.Ideal);
        _tenant.FinishLoading();
        var holder = new TenantHolder(() => _tenant);
        _router = new GraphRouter(new UserEndpoints(holder), new GroupEndpoints(holder, this), new DirectoryEndpoints(holder));
    }

    /// <summary>Member listings of a group that still show it before a license change of it was applied.</summary>
    public int GroupProcessingPolls { get; set; }

    // ---- Graph calls, answered by the simulator's endpoints

    public IReadOnlyList<SkuInfo> SubscribedSkus() =>
        Collection(Get("subscribedSkus"), SubscribedSku.CreateFromDiscriminatorValue).Select(GraphModelMapper.ToSku).ToList();

    public UserLookup ReadUser(string key)
    {
        var outcome = Outcome(key, Get($"users/{Uri.EscapeDataString(key)}?$select={UserSelect}"));
        if (outcome.Status == 404)
        {
            return new UserLookup { Key = key, NotFound = true };
        }

        return outcome.Succeeded ? new UserLookup { Key = key, User = outcome.User } : new UserLookup { Key = key, Failure = outcome };
    }

    public WriteOutcome Write(WriteRequest write)
    {
        var path = $"users/{Uri.EscapeDataString(write.UserId)}";
        return Outcome(write.RequestId, write.Kind == WriteKind.SetUsageLocation
            ? Send("PATCH", path, new JsonObject { ["usageLocation"] = write.UsageLocation })
            : Send("POST", path + "/assignLicense", Body(write.Change!)));
    }

    public List<UserLicenses> UsersWithSku(Guid skuId) =>
        Pages($"users?$filter={GraphLicensingGateway.SkuFilter(skuId)}&$select={UserSelect}&$top={GraphLicensingGateway.MaxPageSize}", User.CreateFromDiscriminatorValue)
            .Select(GraphModelMapper.ToUser).ToList();

    public List<GroupLicenses> GroupsWithSku(Guid skuId) =>
        Pages($"groups?$filter={GraphLicensingGateway.SkuFilter(skuId)}&$select={GroupSelect}&$top={GraphLicensingGateway.MaxPageSize}", Group.CreateFromDiscriminatorValue)
            .Select(GraphModelMapper.ToGroup).ToList();

    public GroupLicenses? ReadGroup(string groupId)
    {
        var answer = Get($"groups/{Uri.EscapeDataString(groupId)}?$select={GroupSelect}");
        return answer.IsSuccess ? GraphModelMapper.ToGroup(Parse(answer.Body!.Value, Group.CreateFromDiscriminatorValue)) : null;
    }

    /// <summary>The members as a listing shows them; a queued license change of the group is processed first once its polls are spent.</summary>
    public List<UserLicenses> Members(string groupId)
    {
        lock (_tenant.Gate)
        {
            if (_tenant.FindGroup(groupId) is { } group && _pendingGroupPolls.TryGetValue(group.Id, out var pollsLeft))
            {
                if (pollsLeft > 0 && GroupProcessingPolls > 0)
                {
                    _pendingGroupPolls[group.Id] = pollsLeft - 1;
                }
                else
                {
                    _pendingGroupPolls.Remove(group.Id);
                    GroupLicenseProcessor.ProcessAll(_tenant, group, DateTimeOffset.UtcNow);
                }
            }
        }

        return Pages($"groups/{Uri.EscapeDataString(groupId)}/members?$select={UserSelect}&$top={GraphLicensingGateway.MaxPageSize}", User.CreateFromDiscriminatorValue)
            .Select(GraphModelMapper.ToUser).ToList();
    }

    public WriteOutcome AssignGroupLicense(string groupId, LicenseChange change) =>
        Outcome(groupId, Send("POST", $"groups/{Uri.EscapeDataString(groupId)}/assignLicense", Body(change)));

    void IGroupLicenseScheduler.Schedule(TenantState tenant, GroupState group)
    {
        GroupLicenseProcessor.Queue(group);
        _pendingGroupPolls[group.Id] = GroupProcessingPolls;
    }

    // ---- the starting state a test sets up, and what it inspects (changed inside the model, so seats stay counted)

    public FakeUser AddUser(string id, string userPrincipalName, string? usageLocation)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            throw new ArgumentException($"User id '{id}' is not a GUID; the simulated tenant keys users as Graph does.", nameof(id));
        }

        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
            var user = new UserState { Ordinal = _tenant.Users.Count, Id = guid, UserPrincipalName = userPrincipalName, UsageLocation = usageLocation };
            _tenant.AddUser(user);
            return View(user);
        }
    }

    /// <summary>A group with one license (these plans disabled) and no members yet.</summary>
    public FakeGroup AddGroup(string id, string name, Guid skuId, IReadOnlyList<Guid> disabledPlans)
    {
        var groupId = GroupId(id);
        lock (_tenant.Gate)
        {
            var group = new GroupState
            {
                Id = groupId,
                DisplayName = name,
                Licenses = new[] { new ModelAssignment(skuId, disabledPlans.ToArray(), groupId, null, DateTimeOffset.UtcNow) },
            };
            _tenant.AddGroup(group);
            return new FakeGroup(this, group);
        }
    }

    /// <summary>Makes the user a member; the user inherits the group's licenses as Entra decides (seats, rules).</summary>
    public void Join(UserState user, string groupId)
    {
        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
            var group = _tenant.FindGroup(groupId) ?? throw new KeyNotFoundException($"No group {groupId}.");
            if (!group.MemberOrdinals.Contains(user.Ordinal))
            {
                group.MemberOrdinals.Add(user.Ordinal);
                user.GroupIds.Add(group.Id);
            }

            GroupLicenseInheritance.Apply(_tenant, group, user, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>Makes the user a member of the group, which is made or given the SKU (nothing disabled) if it lacks it.</summary>
    public void Inherit(UserState user, string groupId, Guid skuId)
    {
        var id = GroupId(groupId);
        lock (_tenant.Gate)
        {
            if (_tenant.FindGroup(groupId) is not { } group)
            {
                AddGroup(groupId, groupId, skuId, Array.Empty<Guid>());
            }
            else if (group.Licenses.All(l => l.SkuId != skuId))
            {
                group.Licenses = group.Licenses.Append(new ModelAssignment(skuId, Array.Empty<Guid>(), id, null, DateTimeOffset.UtcNow)).ToArray();
            }

            Join(user, groupId);
        }
    }

    private static Guid GroupId(string id) => Guid.TryParse(id, out var guid)
        ? guid
        : throw new ArgumentException($"Group id '{id}' is not a GUID; the simulated tenant keys groups as Graph does.", nameof(id));

    /// <summary>
    /// Deletes the group as an admin can: its licenses are removed first (Entra refuses to delete a licensed group), which
    /// takes what its members inherited from it, then the group goes.
    /// </summary>
    public bool DeleteGroup(string groupId)
    {
        lock (_tenant.Gate)
        {
            if (_tenant.FindGroup(groupId) is not { } group)
            {
                return false;
            }

            group.Licenses = Array.Empty<ModelAssignment>();
            _pendingGroupPolls.Remove(group.Id);
            GroupLicenseProcessor.ProcessAll(_tenant, group, DateTimeOffset.UtcNow);
            _tenant.RemoveGroup(group);
            return true;
        }
    }

    /// <summary>Sets the user's direct assignment of the SKU (null disabled plans: removes it), as a starting state.</summary>
    public void SetDirect(UserState user, Guid skuId, IEnumerable<Guid>? disabledPlans)
    {
        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
            var others = user.Assignments.Where(a => a.GroupId is not null || a.SkuId != skuId);
            var next = disabledPlans is null
                ? others
                : user.Assignments.Any(a => a.GroupId is null && a.SkuId == skuId)
                    ? user.Assignments.Select(a => a.GroupId is null && a.SkuId == skuId ? a with { DisabledPlans = disabledPlans.ToArray() } : a)
                    : others.Append(new ModelAssignment(skuId, disabledPlans.ToArray(), null, null, DateTimeOffset.UtcNow));
            _tenant.ReplaceAssignments(user, next.ToArray());
        }
    }

    /// <summary>Sets what the user shows inherited from a group (error null or "None": active), as a starting state.</summary>
    public void SetInherited(UserState user, string groupId, Guid skuId, IEnumerable<Guid> disabledPlans, string? error)
    {
        var group = GroupId(groupId);
        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
            var assignment = new ModelAssignment(skuId, disabledPlans.ToArray(), group, error is null or "None" ? null : error, DateTimeOffset.UtcNow);
            var next = user.Assignments.Where(a => a.GroupId != group || a.SkuId != skuId).Append(assignment);
            _tenant.ReplaceAssignments(user, next.ToArray());
        }
    }

    public void RemoveInherited(UserState user, string groupId, Guid skuId)
    {
        var group = GroupId(groupId);
        lock (_tenant.Gate)
        {
            _tenant.ReplaceAssignments(user, user.Assignments.Where(a => a.GroupId != group || a.SkuId != skuId).ToArray());
        }
    }

    public void SetUsageLocation(UserState user, string? usageLocation)
    {
        lock (_tenant.Gate)
        {
            _tenant.BeforePropertyWrite(user);
            user.UsageLocation = usageLocation;
            _tenant.AfterPropertyWrite(user);
        }
    }

    public FakeUser? FindUser(string idOrUserPrincipalName)
    {
        lock (_tenant.Gate)
        {
            return _tenant.FindUser(idOrUserPrincipalName) is { } user ? View(user) : null;
        }
    }

    public List<FakeUser> Users
    {
        get
        {
            lock (_tenant.Gate)
            {
                return _tenant.Users.Select(View).ToList();
            }
        }
    }

    public List<FakeGroup> Groups
    {
        get
        {
            lock (_tenant.Gate)
            {
                return _tenant.Groups.Select(g => new FakeGroup(this, g)).ToList();
            }
        }
    }

    /// <summary>consumedUnits as the model counts it: its holders, plus the seats the definition says are held outside.</summary>
    public int ConsumedUnits(Guid skuId)
    {
        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
            return _tenant.Skus.TryGetValue(skuId, out var sku) ? sku.Consumed : 0;
        }
    }

    /// <summary>Successful assignLicense calls that changed each user's licenses (the simulator's own count).</summary>
    public Dictionary<string, int> LicenseWrites()
    {
        lock (_tenant.Gate)
        {
            return _tenant.UsersWithLicenseWrites().ToDictionary(w => w.User.Id.ToString(), w => w.Count, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Users who once held licenses and were left with none (the simulator's own record).</summary>
    public HashSet<string> EverUnlicensed()
    {
        lock (_tenant.Gate)
        {
            return _tenant.EverUnlicensedUserIds().Select(id => id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    public UserLicenses Snapshot(UserState user) => ReadUser(user.Id.ToString()).User!;

    public T Locked<T>(Func<T> read)
    {
        lock (_tenant.Gate)
        {
            return read();
        }
    }

    private FakeUser View(UserState user)
    {
        if (!_userViews.TryGetValue(user.Ordinal, out var view))
        {
            _userViews[user.Ordinal] = view = new FakeUser(this, user);
        }

        return view;
    }

    // ---- plumbing: requests to the router, answers to the engine's types

    private EngineResponse Get(string relativeUrl) => Send("GET", relativeUrl, null);

    private EngineResponse Send(string method, string relativeUrl, JsonNode? body)
    {
        lock (_tenant.Gate)
        {
            _skus.SyncTo(_tenant);
        }

        var headers = new Dictionary<string, string> { ["ConsistencyLevel"] = "eventual" };
        var answer = _router.Match(new GraphRequest(method, relativeUrl, body, BaseUrl, headers)).Execute();
        return new EngineResponse(answer.Status, answer.Headers, answer.Body is null ? null : JsonSerializer.SerializeToElement(answer.Body));
    }

    private static WriteOutcome Outcome(string requestId, EngineResponse answer) =>
        WriteOutcomeMapper.FromResponse(requestId, answer, null, RetryAfter, DateTimeOffset.UtcNow);

    private IEnumerable<T> Pages<T>(string relativeUrl, ParsableFactory<T> factory) where T : IParsable
    {
        var items = new List<T>();
        for (string? next = relativeUrl; next is not null;)
        {
            var page = Get(next);
            if (!page.IsSuccess)
            {
                throw new InvalidOperationException($"The simulated tenant answered GET {next} with {page.Status}: {page.Error?.Message}");
            }

            items.AddRange(Collection(page, factory));
            next = page.Body!.Value.TryGetProperty("@odata.nextLink", out var link) ? link.GetString()![(BaseUrl.Length + 1)..] : null;
        }

        return items;
    }

    private static IEnumerable<T> Collection<T>(EngineResponse page, ParsableFactory<T> factory) where T : IParsable =>
        page.Body!.Value.GetProperty("value").EnumerateArray().Select(item => Parse(item, factory)).ToList();

    private static T Parse<T>(JsonElement element, ParsableFactory<T> factory) where T : IParsable =>
        new JsonParseNode(element).GetObjectValue(factory)!;

    private static JsonObject Body(LicenseChange change) => new()
    {
        ["addLicenses"] = new JsonArray(change.Add.Select(a => (JsonNode?)new JsonObject
        {
            ["disabledPlans"] = new JsonArray(a.DisabledPlans.Select(p => (JsonNode?)p.ToString()).ToArray()),
            ["skuId"] = a.SkuId.ToString(),
        }).ToArray()),
        ["removeLicenses"] = new JsonArray(change.Remove.Select(r => (JsonNode?)r.ToString()).ToArray()),
    };
}
