using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Tests.Pacing;

public class AdaptiveWritePacerTests
{
    private readonly ManualClock _clock = new(autoAdvance: false);

    private AdaptiveWritePacer Pacer(Action<PacerSettings>? configure = null)
    {
        var settings = new PacerSettings { InitialWritesPerSecond = 20, RateDoublingTime = TimeSpan.FromSeconds(1), TargetLimitPercentage = 0.95 };
        configure?.Invoke(settings);
        return new AdaptiveWritePacer(settings, _clock);
    }

    private static List<WriteOutcome> Answers(int count, double? percentage = null, int status = 200, double? retryAfterSeconds = null, string? information = null) =>
        Enumerable.Range(1, count).Select(i => new WriteOutcome
        {
            RequestId = i.ToString(),
            Status = status,
            ThrottleLimitPercentage = percentage,
            ThrottleInformation = information,
            RetryAfter = retryAfterSeconds.HasValue ? TimeSpan.FromSeconds(retryAfterSeconds.Value) : null,
        }).ToList();

    [Fact]
    public void Starts_with_a_full_batch_then_waits_at_the_initial_rate()
    {
        var pacer = Pacer();

        var first = pacer.Acquire(100);
        var second = pacer.Acquire(100);

        Assert.Equal(20, first.Ticket!.Writes);
        Assert.Null(second.Ticket);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Wait);
    }

    [Fact]
    public void Never_offers_more_than_is_ready_or_a_batch()
    {
        var pacer = Pacer();

        Assert.Equal(7, pacer.Acquire(7).Ticket!.Writes);
        Assert.Null(pacer.Acquire(0).Ticket);
    }

    [Fact]
    public void Caps_the_batches_in_flight()
    {
        var pacer = Pacer(s => s.MaxBatchesInFlight = 2);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var a = pacer.Acquire(1).Ticket;
        var b = pacer.Acquire(1).Ticket;
        var c = pacer.Acquire(1);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(c.Ticket);
        Assert.Null(c.Wait); // until an answer comes
        pacer.Answered(a!, Answers(1));
        Assert.NotNull(pacer.Acquire(1).Ticket);
    }

    [Fact]
    public void Speeds_up_while_the_rate_holds_writes_back_and_Graph_sends_no_percentage()
    {
        var pacer = Pacer();
        var before = pacer.WritesPerSecond;

        for (var i = 0; i < 5; i++)
        {
            var decision = pacer.Acquire(1000);
            if (decision.Ticket == null)
            {
                _clock.Advance(decision.Wait!.Value);
                decision = pacer.Acquire(1000);
            }

            pacer.Answered(decision.Ticket!, Answers(decision.Ticket!.Writes));
        }

        Assert.True(pacer.WritesPerSecond > before * 4, $"rate {pacer.WritesPerSecond}");
    }

    [Fact]
    public void Does_not_speed_up_when_the_rate_is_not_what_holds_writes_back()
    {
        var pacer = Pacer();
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            var ticket = pacer.Acquire(5).Ticket!;
            pacer.Answered(ticket, Answers(5));
        }

        Assert.Equal(20, pacer.WritesPerSecond);
    }

    [Fact]
    public void Holds_the_rate_once_the_percentage_passes_0_9()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(100).Ticket!;
        Assert.Null(pacer.Acquire(100).Ticket);
        _clock.Advance(TimeSpan.FromSeconds(1));

        pacer.Answered(ticket, Answers(20, percentage: 0.91));

        Assert.Equal(20, pacer.WritesPerSecond);
    }

    [Fact]
    public void Near_the_target_percentage_only_the_remaining_headroom_is_sent()
    {
        var pacer = Pacer(s => s.MaxWritesPerSecond = 10_000);
        var ticket = pacer.Acquire(20).Ticket!;
        _clock.Advance(TimeSpan.FromSeconds(5));

        // 0.944 of 3,000 used: (0.95 - 0.944) x 3,000 = 18 more writes up to the target.
        pacer.Answered(ticket, Answers(20, percentage: 0.944));
        var next = pacer.Acquire(100).Ticket!;

        Assert.Equal(18, next.Writes);
        var blocked = pacer.Acquire(100);
        Assert.Null(blocked.Ticket);
        Assert.Null(blocked.Wait); // waits for the answer that tells how far the window drained
    }

    [Fact]
    public void At_the_target_with_nothing_in_flight_it_probes_with_one_write_and_backs_off()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(20).Ticket!;
        _clock.Advance(TimeSpan.FromSeconds(5));
        pacer.Answered(ticket, Answers(20, percentage: 0.97));

        var wait = pacer.Acquire(20);
        Assert.Null(wait.Ticket);
        Assert.Equal(TimeSpan.FromMilliseconds(50), wait.Wait);
        _clock.Advance(wait.Wait!.Value);
        var probe = pacer.Acquire(20).Ticket!;
        Assert.True(probe.IsProbe);
        Assert.Equal(1, probe.Writes);

        pacer.Answered(probe, Answers(1, percentage: 0.97));
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Acquire(20).Wait);
    }

    [Fact]
    public void When_the_window_drains_it_sends_again_at_once()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(20).Ticket!;
        _clock.Advance(TimeSpan.FromSeconds(5));
        pacer.Answered(ticket, Answers(20, percentage: 0.97));
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        var probe = pacer.Acquire(20).Ticket!;

        pacer.Answered(probe, Answers(1, percentage: 0.90));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(20, pacer.Acquire(100).Ticket!.Writes);
    }

    [Fact]
    public void A_429_pauses_everything_for_its_Retry_After_and_halves_the_rate_once_per_round_trip()
    {
        var pacer = Pacer(s => s.MaxWritesPerSecond = 1000);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var a = pacer.Acquire(20).Ticket!;
        _clock.Advance(TimeSpan.FromSeconds(2));
        var b = pacer.Acquire(20).Ticket!;

        pacer.Answered(a, Answers(20, percentage: 1.2, status: 429, retryAfterSeconds: 3));
        var rateAfterFirst = pacer.WritesPerSecond;
        pacer.Answered(b, Answers(20, percentage: 1.2, status: 429, retryAfterSeconds: 2));

        Assert.Equal(10, rateAfterFirst);
        Assert.Equal(10, pacer.WritesPerSecond); // b was sent before the cut: same news, no second cut
        Assert.Equal(40, pacer.ThrottledWrites);
        var paused = pacer.Acquire(20);
        Assert.Null(paused.Ticket);
        Assert.Equal(TimeSpan.FromSeconds(3), paused.Wait);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.NotNull(pacer.Acquire(1).Ticket);
    }

    [Fact]
    public void A_429_naming_the_write_limit_pauses_and_cuts_the_rate()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(20).Ticket!;

        pacer.Answered(ticket, Answers(1, status: 429, retryAfterSeconds: 4, information: GraphResponseHeaders.WriteLimitExceeded));

        Assert.Equal(10, pacer.WritesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(4), pacer.Acquire(20).Wait);
    }

    [Fact]
    public void A_429_naming_the_resource_unit_limit_pauses_without_cutting_the_write_rate()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(20).Ticket!;

        pacer.Answered(ticket, Answers(1, status: 429, retryAfterSeconds: 4, information: GraphResponseHeaders.ResourceUnitLimitExceeded));

        Assert.Equal(20, pacer.WritesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(4), pacer.Acquire(20).Wait);
    }

    [Fact]
    public void Spurious_429s_neither_pause_nor_cut_the_rate()
    {
        var pacer = Pacer(s => s.MaxWritesPerSecond = 1000);
        for (var i = 0; i < 50; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var ticket = pacer.Acquire(20).Ticket!;
            var answers = Answers(20);
            answers[0] = new WriteOutcome { RequestId = "1", Status = 429, RetryAfter = TimeSpan.FromSeconds(1) };
            pacer.Answered(ticket, answers);
        }

        Assert.True(pacer.WritesPerSecond >= 20, $"rate {pacer.WritesPerSecond}");
        Assert.Equal(50, pacer.ThrottledWrites);
        Assert.True(pacer.Acquire(1).Wait < TimeSpan.FromSeconds(1), "paused for a spurious 429's Retry-After");
    }

    [Fact]
    public void A_percentage_of_1_or_more_cuts_the_rate_without_a_429()
    {
        var pacer = Pacer();
        var ticket = pacer.Acquire(20).Ticket!;

        pacer.Answered(ticket, Answers(20, percentage: 1.05));

        Assert.Equal(10, pacer.WritesPerSecond);
    }

    [Fact]
    public void The_rate_never_drops_below_the_minimum()
    {
        var pacer = Pacer(s => s.MinWritesPerSecond = 2);
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            var ticket = pacer.Acquire(1).Ticket!;
            _clock.Advance(TimeSpan.FromSeconds(1));
            pacer.Answered(ticket, Answers(1, status: 429, retryAfterSeconds: 1, information: GraphResponseHeaders.WriteLimitExceeded));
        }

        Assert.Equal(2, pacer.WritesPerSecond);
    }

    [Fact]
    public void An_unanswered_batch_frees_its_slot_without_changing_the_rate()
    {
        var pacer = Pacer(s => s.MaxBatchesInFlight = 1);
        var ticket = pacer.Acquire(20).Ticket!;
        Assert.Null(pacer.Acquire(20).Wait); // the one slot is taken: wait for an answer

        pacer.Unanswered(ticket);

        Assert.Equal(20, pacer.WritesPerSecond);
        Assert.NotNull(pacer.Acquire(20).Wait); // the slot is free: only the rate holds the next batch back
    }

    [Theory]
    [InlineData(0, 20, 20)]
    [InlineData(20, 5, 20)]
    [InlineData(20, 0.5, 10)]
    public void Rejects_inconsistent_settings(double min, double initial, double max)
    {
        Assert.Throws<ArgumentException>(() => new AdaptiveWritePacer(new PacerSettings { MinWritesPerSecond = min, InitialWritesPerSecond = initial, MaxWritesPerSecond = max }, _clock));
    }
}
