using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Tests.Moves;

public class MoveRetryTests
{
    private static IEnumerable<string> Ids(int count) => Enumerable.Range(1, count).Select(MoveHarness.IdOf);

    [Fact]
    public async Task A_throttled_item_is_retried_after_its_own_Retry_After_and_the_rest_of_the_batch_is_not_resent()
    {
        var h = new MoveHarness();
        h.AddE4Users(20);
        var throttled = MoveHarness.IdOf(7);
        h.Gateway.Inject = (w, attempt) => w.UserId == throttled && attempt == 1 ? Injected.Throttled(5) : null;
        var progress = new List<MoveProgress>();

        var results = await h.RunAsync(Ids(20), progress: new SyncProgress<MoveProgress>(progress.Add));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        var writes = h.WritesOf(throttled);
        Assert.Equal(new[] { 429, 200 }, writes.Select(w => w.Outcome.Status)); // retried once it was refused, never after it succeeded
        Assert.True(writes[1].At - writes[0].At >= TimeSpan.FromSeconds(5), $"retried after {writes[1].At - writes[0].At}");
        Assert.Equal(2, results.Single(r => r.UserId == throttled).Attempts);
        h.AssertWrittenOnce(Ids(20).Where(id => id != throttled));
        Assert.Equal(1, progress.Last().Throttled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(504)]
    [InlineData(500)]
    public async Task An_unanswered_write_that_took_effect_is_confirmed_by_a_re_read_and_not_written_again(int status)
    {
        var h = new MoveHarness();
        h.AddE4Users(3);
        var unlucky = MoveHarness.IdOf(2);
        h.Gateway.Inject = (w, attempt) => w.UserId == unlucky && attempt == 1
            ? (status == 0 ? Injected.NoAnswer(applied: true) : Injected.Status(status, applied: true))
            : null;

        var results = await h.RunAsync(Ids(3));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.Single(h.Gateway.Writes, w => w.Request.UserId == unlucky);
        Assert.Equal(1, h.Gateway.LicenseChanges[unlucky]);
        Assert.Equal(1, results.Single(r => r.UserId == unlucky).Attempts);
        Assert.Contains("re-reading", results.Single(r => r.UserId == unlucky).Message);
        Assert.Equal(new[] { "read", "write", "read" }, h.CallsOf(unlucky)); // the re-read confirmed it; nothing was sent again
    }

    [Theory]
    [InlineData(0)]
    [InlineData(503)]
    [InlineData(502)]
    public async Task An_unanswered_write_that_did_not_take_effect_is_re_read_then_sent_again(int status)
    {
        var h = new MoveHarness();
        h.AddE4Users(3);
        var unlucky = MoveHarness.IdOf(2);
        h.Gateway.Inject = (w, attempt) => w.UserId == unlucky && attempt == 1
            ? (status == 0 ? Injected.NoAnswer(applied: false) : Injected.Status(status))
            : null;

        var results = await h.RunAsync(Ids(3));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.Equal(new[] { "read", "write", "read", "write" }, h.CallsOf(unlucky)); // the re-read came before the retry
        Assert.Equal(2, results.Single(r => r.UserId == unlucky).Attempts);
        Assert.Equal(1, h.Gateway.LicenseChanges[unlucky]);
        h.AssertNeverRemovedWithoutAdd();
    }

    [Fact]
    public async Task A_write_that_never_succeeds_fails_with_RetriesExhausted_after_the_attempt_bound()
    {
        var h = new MoveHarness();
        h.Settings.MaxAttempts = 3;
        h.AddE4Users(2);
        var unlucky = MoveHarness.IdOf(1);
        h.Gateway.Inject = (w, attempt) => w.UserId == unlucky ? Injected.Status(503, "The service is temporarily unavailable.") : null;

        var results = await h.RunAsync(Ids(2));

        var failed = results.Single(r => r.UserId == unlucky);
        Assert.Equal(MoveStatus.Failed, failed.Status);
        Assert.Equal(ErrorIds.RetriesExhausted, failed.Reason);
        Assert.Equal(3, failed.Attempts);
        Assert.Contains("503", failed.Message);
        Assert.Equal(h.Settings.MaxAttempts, h.Gateway.Writes.Count(w => w.Request.UserId == unlucky));
        Assert.Equal(MoveStatus.Moved, results.Single(r => r.UserId == MoveHarness.IdOf(2)).Status);
        Assert.Equal(new[] { h.Source.SkuId }, h.Gateway.User(unlucky).Direct.Keys);
    }

    [Fact]
    public async Task A_write_throttled_every_time_fails_with_RetriesExhausted_after_MaxAttempts_writes()
    {
        var h = new MoveHarness();
        h.Settings.MaxAttempts = 4;
        h.AddE4Users(1);
        h.Gateway.Inject = (w, attempt) => Injected.Throttled(1);

        var result = Assert.Single(await h.RunAsync(Ids(1)));

        Assert.Equal(ErrorIds.RetriesExhausted, result.Reason);
        Assert.Equal(h.Settings.MaxAttempts, h.Gateway.Writes.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_whole_batch_that_fails_is_re_read_and_only_unapplied_writes_are_resent(bool appliedBeforeFailing)
    {
        var h = new MoveHarness();
        h.AddE4Users(20);
        IReadOnlyList<WriteRequest>? failedBatch = null;
        var landed = new List<string>();
        h.Gateway.ThrowOnBatch = writes =>
        {
            if (failedBatch != null)
            {
                return null;
            }

            failedBatch = writes;
            if (appliedBeforeFailing)
            {
                foreach (var w in writes.Take(10))
                {
                    Assert.True(h.Gateway.Apply(w).Succeeded);
                    landed.Add(w.UserId);
                }
            }

            return new HttpRequestException("The connection was reset.");
        };

        var results = await h.RunAsync(Ids(20));

        Assert.Equal(20, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.All(h.Gateway.AllUsers, u => Assert.Equal(new[] { h.Target.SkuId }, u.Direct.Keys));
        Assert.All(h.Gateway.AllUsers, u => Assert.Equal(1, h.Gateway.LicenseChanges[u.Id])); // nobody changed twice
        Assert.All(landed, id => Assert.Single(h.WritesOf(id))); // what landed was confirmed by a read, not resent
        Assert.All(failedBatch!.Select(w => w.UserId).Except(landed), id => Assert.Equal(2, h.WritesOf(id).Count)); // the rest was resent
    }

    [Fact]
    public async Task Running_out_of_counted_seats_moves_as_many_as_fit_and_fails_the_rest_without_writing()
    {
        var h = new MoveHarness(targetSeats: 25);
        h.AddE4Users(40);

        var results = await h.RunAsync(Ids(40));

        Assert.Equal(25, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(15, results.Count(r => r.Reason == ErrorIds.InsufficientLicenses));
        h.AssertWrittenOnce(results.Where(r => r.Status == MoveStatus.Moved).Select(r => r.UserId));
        Assert.All(results.Where(r => r.Reason == ErrorIds.InsufficientLicenses), r => Assert.Empty(h.WritesOf(r.UserId)));
        Assert.All(results.Where(r => r.Reason == ErrorIds.InsufficientLicenses), r => Assert.Equal(new[] { h.Source.SkuId }, h.Gateway.User(r.UserId).Direct.Keys));
    }

    [Fact]
    public async Task When_Graph_reports_no_seats_the_run_stops_writing_and_every_remaining_user_fails_InsufficientLicenses()
    {
        var h = new MoveHarness();
        h.Settings.Pacer.MaxBatchesInFlight = 1;
        h.AddE4Users(100);
        var refused = MoveHarness.IdOf(25);
        h.Gateway.Inject = (w, attempt) => w.UserId == refused
            ? new Injected(new WriteOutcome { Status = 400, ErrorCode = "Request_BadRequest", ErrorMessage = $"Subscription with SKU {h.Target.SkuId} does not have any available licenses." })
            : null;

        var results = await h.RunAsync(Ids(100));

        Assert.Equal(100, results.Count);
        Assert.Equal(100, results.Select(r => r.UserId).Distinct().Count());
        var writtenUsers = h.Gateway.Writes.Select(w => w.Request.UserId).ToHashSet();
        Assert.Equal(40, writtenUsers.Count);
        Assert.Equal(39, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(61, results.Count(r => r.Reason == ErrorIds.InsufficientLicenses));
        Assert.All(results.Where(r => r.Status != MoveStatus.Moved), r => Assert.Contains(h.Source.SkuId, h.Gateway.User(r.UserId).Direct.Keys));
        Assert.Equal(ErrorIds.InsufficientLicenses, results.Single(r => r.UserId == refused).Reason);
    }

    [Theory]
    [InlineData(400, "License assignment cannot be done for user with invalid usage location.", "UsageLocationMissing")]
    [InlineData(400, "User license is inherited from a group membership and it cannot be removed directly from the user.", "InheritedFromGroup")]
    [InlineData(404, "Resource 'x' does not exist or one of its queried reference-property objects are not present.", "UserNotFound")]
    [InlineData(400, "The service plan 1 does not belong to the license 2. Remove it from disabledPlans.", "InvalidDisabledPlan")]
    [InlineData(400, "Something else entirely.", "GraphError")]
    public async Task A_definite_Graph_error_fails_that_user_with_its_error_id_and_Graphs_message(int status, string message, string errorId)
    {
        var h = new MoveHarness();
        h.AddE4Users(3);
        var unlucky = MoveHarness.IdOf(2);
        h.Gateway.Inject = (w, attempt) => w.UserId == unlucky ? new Injected(new WriteOutcome { Status = status, ErrorCode = "Request_BadRequest", ErrorMessage = message }) : null;

        var results = await h.RunAsync(Ids(3));

        var failed = results.Single(r => r.UserId == unlucky);
        Assert.Equal(MoveStatus.Failed, failed.Status);
        Assert.Equal(errorId, failed.Reason);
        Assert.Equal(message, failed.Message);
        Assert.Single(h.Gateway.Writes, w => w.Request.UserId == unlucky);
        Assert.Equal(2, results.Count(r => r.Status == MoveStatus.Moved));
    }

    [Theory]
    [InlineData(401, "TokenExpired")]
    [InlineData(403, "PermissionMissing")]
    public async Task A_401_or_403_stops_the_run_after_reporting_what_was_already_done(int status, string errorId)
    {
        var h = new MoveHarness();
        h.Settings.Pacer.MaxBatchesInFlight = 1;
        h.AddE4Users(60);
        h.Gateway.Inject = (w, attempt) => h.Gateway.Batches.Count >= 2
            ? new Injected(new WriteOutcome { Status = status, ErrorCode = "InvalidAuthenticationToken", ErrorMessage = "Lifetime validation failed, the token is expired." })
            : null;
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);
        var results = new List<MoveResult>();

        var error = await Assert.ThrowsAsync<E4UpgradeException>(async () =>
        {
            await foreach (var r in engine.MoveAsync(MoveHarness.Stream(Ids(60).Select(k => new UserReference(k))), h.Options(), null, CancellationToken.None))
            {
                results.Add(r);
            }
        });

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(20, results.Count);
        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        var refused = h.Gateway.Writes.First(w => w.Outcome.Status == status).Request;
        Assert.Contains(refused, h.Gateway.Batches.Last()); // nothing was sent after the first refusal
        Assert.Contains("not processed", error.Message);
    }

    [Fact]
    public async Task A_rejected_token_on_the_whole_batch_stops_the_run_too()
    {
        var h = new MoveHarness();
        h.Settings.Pacer.MaxBatchesInFlight = 1;
        h.AddE4Users(30);
        h.Gateway.ThrowOnBatch = writes => h.Gateway.Batches.Count >= 2
            ? new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError, "The token expired.") { HttpStatus = 401 }
            : null;

        var results = new List<MoveResult>();
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);
        var error = await Assert.ThrowsAsync<E4UpgradeException>(async () =>
        {
            await foreach (var r in engine.MoveAsync(MoveHarness.Stream(Ids(30).Select(k => new UserReference(k))), h.Options(), null, CancellationToken.None))
            {
                results.Add(r);
            }
        });

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Equal(20, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(20, results.Count);
    }

    [Fact]
    public async Task Cancellation_reports_every_user_taken_from_the_input_then_throws()
    {
        var h = new MoveHarness();
        h.Settings.Pacer.MaxBatchesInFlight = 1;
        h.AddE4Users(200);
        using var cts = new CancellationTokenSource();
        var batchesWhenCancelled = 0;
        h.Gateway.AfterBatch = n =>
        {
            if (n == 2)
            {
                cts.Cancel();
                batchesWhenCancelled = h.Gateway.Batches.Count;
            }
        };
        var progress = new List<MoveProgress>();
        var results = new List<MoveResult>();
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in engine.MoveAsync(MoveHarness.Stream(Ids(200).Select(k => new UserReference(k))), h.Options(), new SyncProgress<MoveProgress>(progress.Add), cts.Token))
            {
                results.Add(r);
            }
        });

        Assert.Equal(batchesWhenCancelled, h.Gateway.Batches.Count); // nothing was sent after the cancel
        Assert.Equal(h.Gateway.Writes.Count(w => w.Outcome.Succeeded), results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(40, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.All(results.Where(r => r.Status != MoveStatus.Moved), r => Assert.Equal(ErrorIds.Cancelled, r.Reason));
        Assert.Equal(progress.Last().Received, results.Count);
        Assert.Equal(results.Count, results.Select(r => r.UserId).Distinct().Count());
        Assert.All(results.Where(r => r.Reason == ErrorIds.Cancelled), r => Assert.Equal(new[] { h.Source.SkuId }, h.Gateway.User(r.UserId).Direct.Keys));
    }

    [Fact]
    public async Task Cancellation_with_a_write_in_doubt_says_so()
    {
        var h = new MoveHarness();
        h.AddE4Users(5);
        using var cts = new CancellationTokenSource();
        h.Gateway.Inject = (w, attempt) =>
        {
            cts.Cancel();
            return Injected.NoAnswer(applied: false);
        };
        var results = new List<MoveResult>();
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in engine.MoveAsync(MoveHarness.Stream(Ids(5).Select(k => new UserReference(k))), h.Options(), null, cts.Token))
            {
                results.Add(r);
            }
        });

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(ErrorIds.Cancelled, r.Reason));
        Assert.All(results, r => Assert.Contains("unknown", r.Message));
    }

    [Fact]
    public async Task Throttled_and_failed_reads_are_retried()
    {
        var h = new MoveHarness();
        h.AddE4Users(3);
        h.Gateway.InjectRead = (key, n) => n == 1 ? new WriteOutcome { Status = 429, RetryAfter = TimeSpan.FromSeconds(2) } : n == 2 ? new WriteOutcome { Status = 503 } : null;

        var results = await h.RunAsync(Ids(3));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
    }

    [Fact]
    public async Task A_read_refused_by_the_resource_unit_limit_holds_every_read_until_its_Retry_After()
    {
        var h = new MoveHarness();
        h.AddE4Users(60);
        h.Gateway.InjectRead = (key, n) => key == MoveHarness.IdOf(1) && n == 1
            ? new WriteOutcome { Status = 429, RetryAfter = TimeSpan.FromSeconds(5), ThrottleInformation = GraphResponseHeaders.ResourceUnitLimitExceeded }
            : null;

        var results = await h.RunAsync(Ids(60));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.Equal(new[] { "read", "read", "write" }, h.CallsOf(MoveHarness.IdOf(1))); // read again once the limit let it
        Assert.All(Ids(60).Skip(1), id => Assert.Equal(new[] { "read", "write" }, h.CallsOf(id)));
        Assert.All(h.Gateway.ReadTimes.Skip(2), at => Assert.True(at >= TimeSpan.FromSeconds(5), $"a read went at {at}"));
    }

    [Fact]
    public async Task A_spurious_429_on_a_read_delays_only_its_own_user()
    {
        var h = new MoveHarness();
        h.AddE4Users(60);
        h.Gateway.InjectRead = (key, n) => key == MoveHarness.IdOf(1) && n == 1 ? new WriteOutcome { Status = 429, RetryAfter = TimeSpan.FromSeconds(5) } : null;

        var results = await h.RunAsync(Ids(60));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.True(h.Gateway.ReadTimes[2] < TimeSpan.FromSeconds(5), $"the third read waited until {h.Gateway.ReadTimes[2]}");
    }

    [Fact]
    public async Task A_user_that_cannot_be_read_fails_RetriesExhausted_and_is_not_written()
    {
        var h = new MoveHarness();
        h.Settings.MaxAttempts = 3;
        h.AddE4Users(2);
        h.Gateway.InjectRead = (key, n) => key == MoveHarness.IdOf(1) ? new WriteOutcome { Status = 500, ErrorMessage = "boom" } : null;

        var results = await h.RunAsync(Ids(2));

        Assert.Equal(ErrorIds.RetriesExhausted, results.Single(r => r.UserId == MoveHarness.IdOf(1)).Reason);
        Assert.DoesNotContain(h.Gateway.Writes, w => w.Request.UserId == MoveHarness.IdOf(1));
    }

    [Fact]
    public async Task Under_random_throttling_and_faults_every_user_ends_on_the_target_changed_exactly_once_and_never_unlicensed()
    {
        var h = new MoveHarness();
        h.Settings.MaxAttempts = 12;
        h.AddE4Users(500);
        var random = new Random(42);
        h.Gateway.Inject = (w, attempt) => random.Next(10) switch
        {
            0 => Injected.Throttled(random.Next(1, 4)),
            1 => Injected.NoAnswer(applied: random.Next(2) == 0),
            2 => Injected.Status(new[] { 500, 503, 504 }[random.Next(3)], applied: random.Next(2) == 0),
            _ => null,
        };
        h.Gateway.InjectRead = (key, n) => random.Next(20) == 0 ? new WriteOutcome { Status = 503 } : null;

        var results = await h.RunAsync(Ids(500));

        Assert.Equal(500, results.Count);
        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.All(h.Gateway.AllUsers, u => Assert.Equal(new[] { h.Target.SkuId }, u.Direct.Keys));
        Assert.All(h.Gateway.AllUsers, u => Assert.Equal(1, h.Gateway.LicenseChanges[u.Id]));
        h.AssertNeverRemovedWithoutAdd();
    }

    [Fact]
    public async Task A_trickling_input_is_moved_completely()
    {
        var h = new MoveHarness();
        h.AddE4Users(50);
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);
        var results = new List<MoveResult>();

        await foreach (var r in engine.MoveAsync(MoveHarness.SlowStream(Ids(50).Select(k => new UserReference(k))), h.Options(), null, CancellationToken.None))
        {
            results.Add(r);
        }

        Assert.Equal(50, results.Count(r => r.Status == MoveStatus.Moved));
    }

    [Fact]
    public async Task Memory_stays_bounded_the_input_is_pulled_only_as_results_go_out()
    {
        // Ten times the users in progress: enough to show the input is pulled only as results go out; more proves nothing more.
        var h = new MoveHarness();
        h.Settings.MaxUsersInProgress = 100;
        h.AddE4Users(1000);
        var pulled = 0;
        var consumed = 0;
        var maxAhead = 0;
        IEnumerable<UserReference> Input()
        {
            foreach (var id in Ids(1000))
            {
                pulled++;
                maxAhead = Math.Max(maxAhead, pulled - consumed);
                yield return new UserReference(id);
            }
        }

        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);
        await foreach (var r in engine.MoveAsync(MoveHarness.Stream(Input()), h.Options(), null, CancellationToken.None))
        {
            Assert.Equal(MoveStatus.Moved, r.Status);
            consumed++;
        }

        Assert.Equal(1000, consumed);
        Assert.InRange(maxAhead, 1, 101);
    }
}
