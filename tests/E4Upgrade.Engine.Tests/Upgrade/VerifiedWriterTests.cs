using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The one verified write (group swaps, Stop-E4Subscription's removals). A row gives Graph's answer to each send
/// ("200", "504 landed" = applied but the answer lost, "504" = not applied, "429", "400") and what a read shows;
/// it expects the sends, the reads, the result and whether a read (not an answer) decided it.
/// </summary>
public sealed class VerifiedWriterTests
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("200", 1, 0, 200, false)]
    [InlineData("400", 1, 0, 400, false)]
    [InlineData("429,200", 2, 0, 200, false)]
    [InlineData("504 landed", 1, 1, 200, true)]
    [InlineData("504,200", 2, 1, 200, false)]
    [InlineData("504,400", 2, 2, 400, false)]
    [InlineData("504 landed-late,400", 2, 2, 200, true)]
    [InlineData("504,504,504", 3, 3, 504, false)]
    [InlineData("504,504,504 landed", 3, 3, 200, true)]
    public async Task Each_answer_gives_this_result(string answers, int sends, int reads, int status, bool readBack)
    {
        var script = answers.Split(',');
        var applied = false;
        var appliedLate = false;
        var sent = 0;
        var read = 0;
        var clock = new ManualClock();
        var writer = new VerifiedWriter(clock, Lag, attempts: 3, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));

        var results = await writer.SendAsync(
            new[] { "w1" },
            (keys, _) =>
            {
                var answer = script[Math.Min(sent++, script.Length - 1)].Split(' ');
                applied |= answer[0] == "200" || (answer.Length > 1 && answer[1] == "landed");
                appliedLate |= answer.Length > 1 && answer[1] == "landed-late";
                var status = int.Parse(answer[0]);
                return Task.FromResult<IReadOnlyList<WriteOutcome>>(new[] { new WriteOutcome { RequestId = keys[0], Status = status, RetryAfter = status == 429 ? TimeSpan.FromSeconds(2) : null } });
            },
            (keys, _) =>
            {
                // A write applied late shows only from the second read on (the first read was within its lag).
                var shows = applied || (appliedLate && read > 0);
                read++;
                return Task.FromResult<IReadOnlyCollection<string>>(shows ? keys.ToList() : new List<string>());
            },
            CancellationToken.None);

        var result = results["w1"];
        Assert.Equal((sends, reads, status, readBack), (sent, read, result.Outcome.Status, result.ReadBack));
        if (reads > 0)
        {
            Assert.True(clock.Delays.All(d => d >= Lag), "a read back came before the replication lag had passed");
        }
    }

    [Fact]
    public async Task Throttled_answers_are_counted()
    {
        var sent = 0;
        var writer = new VerifiedWriter(new ManualClock(), Lag, attempts: 3, Backoff.Slow);

        await writer.SendAsync(new[] { "a", "b" },
            (keys, _) => Task.FromResult<IReadOnlyList<WriteOutcome>>(keys.Select(k => new WriteOutcome { RequestId = k, Status = sent++ < 2 ? 429 : 200 }).ToList()),
            (_, _) => Task.FromResult<IReadOnlyCollection<string>>(Array.Empty<string>()),
            CancellationToken.None);

        Assert.Equal(2, writer.Throttled);
    }
}
