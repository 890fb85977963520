using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Tests.Graph;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>A session outlives the cmdlet that connected it: its verbose text goes to the work running now.</summary>
public class SessionVerboseTests
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");

    [Fact]
    public async Task Batch_lines_after_connecting_go_to_the_running_work_and_not_to_the_connecting_one()
    {
        await using var connection = await SimulatorConnection.StartAsync("verbose-sink", "--users", "5", "--seed", "3");
        Assert.Contains(connection.Log, line => line.StartsWith("Connected to", StringComparison.Ordinal));
        var connectLines = connection.Log.Count;
        var later = new List<string>();

        using (connection.Session.Verbose.Attach(line => { lock (later) { later.Add(line); } }))
        {
            var ids = new List<string>();
            await foreach (var user in connection.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
            {
                ids.Add(user.Id);
            }

            await connection.Gateway.SendWritesAsync(
                new[] { new WriteRequest { RequestId = "w1", UserId = ids[0], Kind = WriteKind.SetUsageLocation, UsageLocation = "DE" } },
                CancellationToken.None);
        }

        Assert.Contains(later, line => line.StartsWith("POST $batch of 1 write(s): HTTP 200", StringComparison.Ordinal));
        Assert.Equal(connectLines, connection.Log.Count);
    }

    [Fact]
    public async Task Two_flows_at_once_each_get_their_own_lines_and_unattached_work_writes_nowhere()
    {
        var relay = new VerboseRelay();
        var first = new List<string>();
        var second = new List<string>();
        var bothAttached = new Barrier(2);

        async Task Flow(List<string> sink, string name)
        {
            using (relay.Attach(sink.Add))
            {
                await Task.Yield();
                bothAttached.SignalAndWait(TimeSpan.FromSeconds(10));
                relay.Write(name);
            }
        }

        await Task.WhenAll(Task.Run(() => Flow(first, "one")), Task.Run(() => Flow(second, "two")));
        relay.Write("nobody's");

        Assert.Equal(new[] { "one" }, first);
        Assert.Equal(new[] { "two" }, second);
    }
}
