using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// Writes reverted behind the run after it saw them succeed (a tenant restored from a backup, a simulator restart):
/// the last listing pass reads re-listed users again, and the summary never says Succeeded while movable holders remain.
/// </summary>
public sealed class DirectRecheckTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4recheck-" + Guid.NewGuid().ToString("N"));

    private UpgradeOptions Options() => new()
    {
        TargetSku = "ENTERPRISEPREMIUM",
        TenantId = "11111111-1111-1111-1111-111111111111",
        JournalPath = Path.Combine(_dir, "journal.jsonl"),
        GroupPollInterval = TimeSpan.FromMilliseconds(5),
        GroupProcessingTimeout = TimeSpan.FromSeconds(10),
        TargetPollInterval = TimeSpan.FromMilliseconds(10),
    };

    private static FakeTenant Tenant(int direct)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5(enabled: 1000));
        for (var i = 0; i < direct; i++)
        {
            tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
        }

        return tenant;
    }

    /// <summary>After each of the first <paramref name="reverts"/> license writes per user landed and was answered, puts E4 back.</summary>
    private static void RevertWrites(FakeTenant tenant, ISet<string> victims, int reverts)
    {
        var done = new Dictionary<string, int>();
        tenant.AfterWrite = write =>
        {
            if (write.Kind != WriteKind.AssignLicense || !victims.Contains(write.UserId))
            {
                return;
            }

            lock (done)
            {
                done.TryGetValue(write.UserId, out var n);
                if (n >= reverts)
                {
                    return;
                }

                done[write.UserId] = n + 1;
            }

            var user = tenant.Users[write.UserId];
            user.Direct.Remove(TestSkus.E5Id);
            user.Direct[TestSkus.E4Id] = new List<Guid>();
        };
    }

    [Fact]
    public async Task Users_whose_move_was_reverted_after_it_succeeded_are_read_again_and_moved()
    {
        var tenant = Tenant(direct: 12);
        var victims = tenant.Users.Keys.Take(4).ToHashSet(StringComparer.OrdinalIgnoreCase);
        RevertWrites(tenant, victims, reverts: 1);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.All(tenant.Users.Values, user => Assert.False(tenant.Holds(user, TestSkus.E4Id), user.Upn + " still holds E4"));
        Assert.Equal(12, summary.Moved);
        Assert.Equal(0, summary.DirectHoldersLeft);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task A_run_is_not_Succeeded_while_users_it_moved_keep_coming_back_to_E4()
    {
        var tenant = Tenant(direct: 6);
        var victims = tenant.Users.Keys.Take(2).ToHashSet(StringComparer.OrdinalIgnoreCase);
        RevertWrites(tenant, victims, reverts: int.MaxValue);
        var reporter = new RecordingReporter();

        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(Options(), reporter, CancellationToken.None);

        Assert.Equal(2, summary.DirectHoldersLeft);
        Assert.Equal(0, summary.Failed);
        Assert.False(summary.Succeeded);
        Assert.Contains(reporter.Warnings, warning => warning.Contains("still listed holding E4", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
