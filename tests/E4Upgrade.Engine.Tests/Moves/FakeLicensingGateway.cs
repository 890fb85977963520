using System.Collections.Concurrent;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>
/// An in-memory tenant that answers like Graph (the simulator's rules): assignLicense adds and removes together or not
/// at all, checks usage location, group inheritance, plan ids and seats. Hooks inject throttling, faults and failures.
/// Every write is logged with the clock's time; users ever left without a license are recorded.
/// </summary>
internal sealed class FakeLicensingGateway : ILicensingGateway
{
    private readonly object _gate = new();
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string, WriteKind), int> _attempts = new();
    private readonly IClock _clock;

    public FakeLicensingGateway(IClock clock, params SkuInfo[] skus)
    {
        _clock = clock;
        Skus = skus.ToList();
    }

    public List<SkuInfo> Skus { get; }
    public List<(TimeSpan At, WriteRequest Request, WriteOutcome Outcome)> Writes { get; } = new();
    public List<IReadOnlyList<WriteRequest>> Batches { get; } = new();
    public List<IReadOnlyList<string>> Reads { get; } = new();
    /// <summary>When each read in <see cref="Reads"/> was sent (the virtual clock).</summary>
    public List<TimeSpan> ReadTimes { get; } = new();
    public HashSet<string> EverUnlicensed { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, int> LicenseChanges { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Called for each write with its attempt number (1-based, per user and kind); a non-null answer replaces Graph's.</summary>
    public Func<WriteRequest, int, Injected?>? Inject { get; set; }
    /// <summary>Called for each read key with its read count; a non-null answer is returned as the lookup's Failure.</summary>
    public Func<string, int, WriteOutcome?>? InjectRead { get; set; }
    /// <summary>Called before a whole $batch of writes; a non-null exception is thrown instead of answering.</summary>
    public Func<IReadOnlyList<WriteRequest>, Exception?>? ThrowOnBatch { get; set; }
    /// <summary>Called after each batch is answered (1-based batch number).</summary>
    public Action<int>? AfterBatch { get; set; }
    /// <summary>x-ms-throttle-limit-percentage to put on every answer (by batch number), or null.</summary>
    public Func<int, double?>? Percentage { get; set; }

    private readonly Dictionary<string, int> _readCounts = new(StringComparer.OrdinalIgnoreCase);

    public FakeUser AddUser(string id, string upn, string? usageLocation = "US")
    {
        var user = new FakeUser(id, upn, usageLocation);
        lock (_gate)
        {
            _users[id] = user;
            _users[upn] = user;
        }

        return user;
    }

    public FakeUser User(string idOrUpn)
    {
        lock (_gate)
        {
            return _users[idOrUpn];
        }
    }

    public IEnumerable<FakeUser> AllUsers
    {
        get
        {
            lock (_gate)
            {
                return _users.Values.Distinct().ToList();
            }
        }
    }

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var sku in Skus)
            {
                sku.ConsumedUnits = _users.Values.Distinct().Count(u => u.Holds(sku.SkuId));
            }

            return Task.FromResult<IReadOnlyList<SkuInfo>>(Skus.ToList());
        }
    }

    public Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Reads.Add(idsOrUserPrincipalNames.ToList());
            ReadTimes.Add(_clock.Now);
            var lookups = new List<UserLookup>();
            foreach (var key in idsOrUserPrincipalNames)
            {
                _readCounts[key] = _readCounts.TryGetValue(key, out var n) ? n + 1 : 1;
                var failure = InjectRead?.Invoke(key, _readCounts[key]);
                if (failure != null)
                {
                    lookups.Add(new UserLookup { Key = key, Failure = failure });
                }
                else if (_users.TryGetValue(key, out var user))
                {
                    lookups.Add(new UserLookup { Key = key, User = user.Snapshot() });
                }
                else
                {
                    lookups.Add(new UserLookup { Key = key, NotFound = true });
                }
            }

            return Task.FromResult<IReadOnlyList<UserLookup>>(lookups);
        }
    }

    public Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
    {
        Assert.InRange(writes.Count, 1, 20);
        Assert.Equal(writes.Count, writes.Select(w => w.RequestId).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        int batchNumber;
        List<WriteOutcome> outcomes;
        lock (_gate)
        {
            Batches.Add(writes.ToList());
            batchNumber = Batches.Count;
            var thrown = ThrowOnBatch?.Invoke(writes);
            if (thrown != null)
            {
                foreach (var write in writes)
                {
                    Writes.Add((_clock.Now, write, new WriteOutcome { RequestId = write.RequestId, Status = -1 }));
                }

                throw thrown;
            }

            outcomes = new List<WriteOutcome>();
            foreach (var write in writes)
            {
                var key = (write.UserId, write.Kind);
                _attempts[key] = _attempts.TryGetValue(key, out var n) ? n + 1 : 1;
                var injected = Inject?.Invoke(write, _attempts[key]);
                WriteOutcome outcome;
                if (injected == null)
                {
                    outcome = Apply(write);
                }
                else
                {
                    if (injected.ApplyFirst)
                    {
                        Apply(write);
                    }

                    outcome = injected.Outcome;
                    outcome.RequestId = write.RequestId;
                }

                outcome.ThrottleLimitPercentage ??= Percentage?.Invoke(batchNumber);
                Writes.Add((_clock.Now, write, outcome));
                outcomes.Add(outcome);
            }
        }

        AfterBatch?.Invoke(batchNumber);
        outcomes.Reverse(); // Graph answers in any order
        return Task.FromResult<IReadOnlyList<WriteOutcome>>(outcomes);
    }

    private WriteOutcome Apply(WriteRequest write)
    {
        if (!_users.TryGetValue(write.UserId, out var user))
        {
            return Error(write, 404, "Request_ResourceNotFound", $"Resource '{write.UserId}' does not exist or one of its queried reference-property objects are not present.");
        }

        if (write.Kind == WriteKind.SetUsageLocation)
        {
            user.UsageLocation = write.UsageLocation;
            return new WriteOutcome { RequestId = write.RequestId, Status = 204 };
        }

        var change = write.Change!;
        foreach (var add in change.Add)
        {
            var sku = Skus.SingleOrDefault(s => s.SkuId == add.SkuId);
            if (sku == null)
            {
                return Error(write, 400, "Request_BadRequest", $"License {add.SkuId} does not correspond to a valid company License.");
            }

            var bad = add.DisabledPlans.FirstOrDefault(p => sku.ServicePlans.All(sp => sp.ServicePlanId != p));
            if (bad != Guid.Empty)
            {
                return Error(write, 400, "Request_BadRequest", $"The service plan {bad} does not belong to the license {add.SkuId}. Remove it from disabledPlans.");
            }
        }

        if (change.Add.Count > 0 && string.IsNullOrEmpty(user.UsageLocation))
        {
            return Error(write, 400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.");
        }

        foreach (var remove in change.Remove)
        {
            if (!user.Direct.ContainsKey(remove))
            {
                return user.Groups.ContainsKey(remove)
                    ? Error(write, 400, "Request_BadRequest", "User license is inherited from a group membership and it cannot be removed directly from the user.")
                    : Error(write, 400, "Request_BadRequest", "User does not have a corresponding license.");
            }
        }

        foreach (var add in change.Add)
        {
            var sku = Skus.Single(s => s.SkuId == add.SkuId);
            var consumed = _users.Values.Distinct().Count(u => u.Holds(sku.SkuId));
            if (!user.Holds(sku.SkuId) && consumed >= sku.EnabledUnits)
            {
                return Error(write, 400, "Request_BadRequest", $"Subscription with SKU {sku.SkuId} does not have any available licenses.");
            }
        }

        foreach (var add in change.Add)
        {
            user.Direct[add.SkuId] = add.DisabledPlans.ToList();
        }

        foreach (var remove in change.Remove)
        {
            user.Direct.Remove(remove);
        }

        LicenseChanges.AddOrUpdate(user.Id, 1, (_, n) => n + 1);
        if (user.Direct.Count == 0 && user.Groups.Count == 0)
        {
            EverUnlicensed.Add(user.Id);
        }

        return new WriteOutcome { RequestId = write.RequestId, Status = 200, User = user.Snapshot() };
    }

    private static WriteOutcome Error(WriteRequest write, int status, string code, string message) =>
        new() { RequestId = write.RequestId, Status = status, ErrorCode = code, ErrorMessage = message };

    public Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    public IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken) => throw new NotSupportedException();
}

internal sealed record Injected(WriteOutcome Outcome, bool ApplyFirst = false)
{
    public static Injected Throttled(double seconds) => new(new WriteOutcome { Status = 429, ErrorCode = "TooManyRequests", ErrorMessage = "Please retry again later.", RetryAfter = TimeSpan.FromSeconds(seconds) });
    public static Injected NoAnswer(bool applied) => new(new WriteOutcome { Status = 0, ErrorCode = "ConnectionFailed", ErrorMessage = "The connection was dropped." }, applied);
    public static Injected Status(int status, string message = "fault", bool applied = false) => new(new WriteOutcome { Status = status, ErrorCode = "Fault", ErrorMessage = message }, applied);
}

internal sealed class FakeUser
{
    public FakeUser(string id, string upn, string? usageLocation)
    {
        Id = id;
        UserPrincipalName = upn;
        UsageLocation = usageLocation;
    }

    public string Id { get; }
    public string UserPrincipalName { get; }
    public string? UsageLocation { get; set; }
    public Dictionary<Guid, List<Guid>> Direct { get; } = new();
    public Dictionary<Guid, string> Groups { get; } = new();

    public bool Holds(Guid skuId) => Direct.ContainsKey(skuId) || Groups.ContainsKey(skuId);

    public FakeUser WithDirect(Guid skuId, params Guid[] disabledPlans)
    {
        Direct[skuId] = disabledPlans.ToList();
        return this;
    }

    public FakeUser WithGroup(Guid skuId, string groupId)
    {
        Groups[skuId] = groupId;
        return this;
    }

    public UserLicenses Snapshot()
    {
        var assigned = Direct.Select(d => new AssignedSku(d.Key, d.Value.ToList()))
            .Concat(Groups.Keys.Where(g => !Direct.ContainsKey(g)).Select(g => new AssignedSku(g)))
            .ToList();
        var states = Direct.Select(d => new LicenseAssignment { SkuId = d.Key, State = "Active", Error = "None", DisabledPlans = d.Value.ToList() })
            .Concat(Groups.Select(g => new LicenseAssignment { SkuId = g.Key, AssignedByGroup = g.Value, State = "Active", Error = "None" }))
            .ToList();
        return new UserLicenses { Id = Id, UserPrincipalName = UserPrincipalName, UsageLocation = UsageLocation, AssignedLicenses = assigned, AssignmentStates = states };
    }
}
