using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Licensing;
using E4Upgrade.Engine.Tests.Pacing;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>A fake tenant with E4 and the four targets, a virtual clock, and helpers to run the engine over it.</summary>
internal sealed class MoveHarness
{
    public MoveHarness(int targetSeats = 100_000, string target = CatalogSkus.M365E5)
    {
        Clock = new ManualClock();
        Source = CatalogSkus.Get(CatalogSkus.E4);
        Target = CatalogSkus.Get(target, enabled: targetSeats);
        var others = CatalogSkus.Targets.Where(t => t != target).Select(t => CatalogSkus.Get(t));
        Gateway = new FakeLicensingGateway(Clock, new[] { Source, Target }.Concat(others).ToArray());
        Settings = new MoveEngineSettings { Clock = Clock, Observer = Observer };
    }

    public ManualClock Clock { get; }
    public SkuInfo Source { get; }
    public SkuInfo Target { get; }
    public FakeLicensingGateway Gateway { get; }
    public MoveEngineSettings Settings { get; }
    public RecordingObserver Observer { get; } = new();

    public MoveOptions Options(Action<MoveOptions>? configure = null)
    {
        var options = new MoveOptions { FromSku = CatalogSkus.E4, ToSku = Target.SkuPartNumber };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>E4 users user00001.. with direct E4 and nothing disabled.</summary>
    public List<FakeUser> AddE4Users(int count, int first = 1) =>
        Enumerable.Range(first, count).Select(n => Gateway.AddUser(IdOf(n), UpnOf(n)).WithDirect(Source.SkuId)).ToList();

    public static string IdOf(int n) => new Guid(n, 0, 0, new byte[8]).ToString();

    public static string UpnOf(int n) => $"user{n:D5}@contoso.onmicrosoft.com";

    public async Task<List<MoveResult>> RunAsync(IEnumerable<string> keys, MoveOptions? options = null, CancellationToken cancellationToken = default, IProgress<MoveProgress>? progress = null)
    {
        var engine = new LicenseMoveEngine(Gateway, Settings);
        var results = new List<MoveResult>();
        await foreach (var result in engine.MoveAsync(Stream(keys.Select(k => new UserReference(k))), options ?? Options(), progress, cancellationToken))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>An input whose items are all there: every pull completes synchronously (deterministic under the virtual clock).</summary>
    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask;
    }

    /// <summary>An input that trickles in: every pull completes later, on the thread pool.</summary>
    public static async IAsyncEnumerable<T> SlowStream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Delay(1);
            yield return item;
        }
    }

    /// <summary>The writes sent for one user, in order.</summary>
    public List<(TimeSpan At, WriteRequest Request, WriteOutcome Outcome)> WritesOf(string userId) =>
        Gateway.Writes.Where(w => string.Equals(w.Request.UserId, userId, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The reads ("read") and writes ("write") that reached the tenant for one user, in order.</summary>
    public List<string> CallsOf(string userId) =>
        Gateway.CallLog.Where(c => c.EndsWith(" " + userId, StringComparison.OrdinalIgnoreCase)).Select(c => c[..c.IndexOf(' ')]).ToList();

    /// <summary>Each of these users was sent exactly one write: no retry, no second write after a success.</summary>
    public void AssertWrittenOnce(IEnumerable<string> userIds) =>
        Assert.All(userIds, id => Assert.Single(WritesOf(id)));

    /// <summary>Every assignLicense sent adds the target whenever it removes anything: no user is ever left unlicensed.</summary>
    public void AssertNeverRemovedWithoutAdd()
    {
        foreach (var (_, request, _) in Gateway.Writes)
        {
            if (request.Kind == WriteKind.AssignLicense)
            {
                Assert.Equal(new[] { Target.SkuId }, request.Change!.Add.Select(a => a.SkuId));
                Assert.Equal(new[] { Source.SkuId }, request.Change.Remove);
                Assert.All(request.Change.Add[0].DisabledPlans, p => Assert.Contains(Target.ServicePlans, sp => sp.ServicePlanId == p));
            }
        }

        Assert.Empty(Gateway.EverUnlicensed);
    }
}

internal sealed class RecordingObserver : IMoveObserver
{
    public List<string> Events { get; } = new();

    public void WriteSending(string userId) => Events.Add("send " + userId);

    public void Completed(MoveResult result) => Events.Add($"done {result.UserId} {result.Status}");
}
