using E4Upgrade.Engine.Tests.Graph;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>How long a cancelled cmdlet waits for its work: never less than a write already sent may take.</summary>
public class InFlightBoundTests
{
    [Fact]
    public async Task A_sessions_in_flight_bound_covers_one_bounded_pause_and_one_whole_request()
    {
        await using var connection = await SimulatorConnection.StartAsync("in-flight-bound", "--users", "3", "--seed", "5");
        var limits = SimulatorConnection.FastResilience();

        Assert.True(connection.Session.InFlightBound >= limits.RequestTimeout + limits.MaxRetryAfter,
            $"bound {connection.Session.InFlightBound} is shorter than a request ({limits.RequestTimeout}) after a pause ({limits.MaxRetryAfter})");
    }
}
