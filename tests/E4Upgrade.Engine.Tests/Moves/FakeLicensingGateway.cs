using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>
/// ILicensingGateway over the <see cref="SimulatedTenant"/> (the simulator's own tenant and licensing model, answering
/// as it does over HTTP). On top of it: hooks that inject throttling, faults and failures, and a record of every read
/// and write with the clock's time.
/// </summary>
internal sealed class FakeLicensingGateway : ILicensingGateway
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, WriteKind), int> _attempts = new();
    private readonly Dictionary<string, int> _readCounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly IClock _clock;
    private readonly SimulatedTenant _tenant;

    public FakeLicensingGateway(IClock clock, params SkuInfo[] skus)
    {
        _clock = clock;
        Skus = skus.ToList();
        _tenant = new SimulatedTenant(Skus);
    }

    /// <summary>The tenant's SKUs (consumed units are counted by the model); a test may change them.</summary>
    public List<SkuInfo> Skus { get; }
    public List<(TimeSpan At, WriteRequest Request, WriteOutcome Outcome)> Writes { get; } = new();
    public List<IReadOnlyList<WriteRequest>> Batches { get; } = new();
    public List<IReadOnlyList<string>> Reads { get; } = new();
    /// <summary>When each read in <see cref="Reads"/> was sent (the virtual clock).</summary>
    public List<TimeSpan> ReadTimes { get; } = new();
    /// <summary>"read {key}" and "write {user id}", in the order they reached the tenant (injected answers included).</summary>
    public List<string> CallLog { get; } = new();

    /// <summary>Users who once held licenses and were left with none (the model's record).</summary>
    public HashSet<string> EverUnlicensed => _tenant.EverUnlicensed();

    /// <summary>Per user, the successful assignLicense calls that changed the user's licenses (the model's count).</summary>
    public IReadOnlyDictionary<string, int> LicenseChanges => _tenant.LicenseWrites();

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

    public FakeUser AddUser(string id, string upn, string? usageLocation = "US") => _tenant.AddUser(id, upn, usageLocation);

    public FakeUser User(string idOrUpn) => _tenant.FindUser(idOrUpn) ?? throw new KeyNotFoundException($"No user {idOrUpn}.");

    public IEnumerable<FakeUser> AllUsers => _tenant.Users;

    /// <summary>Lands a write in the tenant as Graph would, without it counting as sent (a write that took effect unseen).</summary>
    public WriteOutcome Apply(WriteRequest write) => _tenant.Write(write);

    public Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_tenant.SubscribedSkus());

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
                CallLog.Add("read " + key);
                _readCounts[key] = _readCounts.TryGetValue(key, out var n) ? n + 1 : 1;
                var failure = InjectRead?.Invoke(key, _readCounts[key]);
                lookups.Add(failure != null ? new UserLookup { Key = key, Failure = failure } : _tenant.ReadUser(key));
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
                CallLog.Add("write " + write.UserId);
                var key = (write.UserId, write.Kind);
                _attempts[key] = _attempts.TryGetValue(key, out var n) ? n + 1 : 1;
                var injected = Inject?.Invoke(write, _attempts[key]);
                WriteOutcome outcome;
                if (injected == null)
                {
                    outcome = _tenant.Write(write);
                }
                else
                {
                    if (injected.ApplyFirst)
                    {
                        _tenant.Write(write);
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
