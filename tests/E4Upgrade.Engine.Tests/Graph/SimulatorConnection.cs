using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Engine.Tests.Graph;

/// <summary>An in-process simulator and a real session to it (GraphConnector, access token, SDK over loopback HTTP).</summary>
internal sealed class SimulatorConnection : IAsyncDisposable
{
    private SimulatorConnection(RunningSimulator simulator, GraphSession session, List<string> log, string token)
    {
        Simulator = simulator;
        Session = session;
        Log = log;
        Token = token;
    }

    public RunningSimulator Simulator { get; }
    public GraphSession Session { get; }
    public ILicensingGateway Gateway => Session.Gateway;
    public List<string> Log { get; }
    public string Token { get; }

    public static GraphResilienceOptions FastResilience() => new()
    {
        MaxReadRetries = 8,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxBackoffDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Starts the simulator with <paramref name="args"/> plus "--token token" and connects with that token.</summary>
    public static Task<SimulatorConnection> StartAsync(string token, params string[] args) => StartAsync(token, null, args);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with the session's resource-unit budget set (null: the documented quota).</summary>
    public static async Task<SimulatorConnection> StartAsync(string token, ResourceUnitBudgetSettings? resourceUnits, params string[] args)
    {
        var simulator = await SimulatorHost.StartAsync(args.Concat(new[] { "--token", token }).ToArray());
        try
        {
            var log = new List<string>();
            var session = await ConnectAsync(simulator, token, log, resourceUnits);
            return new SimulatorConnection(simulator, session, log, token);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    public static Task<GraphSession> ConnectAsync(RunningSimulator simulator, string token, List<string> log, ResourceUnitBudgetSettings? resourceUnits = null) =>
        GraphConnector.ConnectAsync(
            new ConnectionOptions
            {
                AuthMethod = GraphAuthMethod.AccessToken,
                AccessToken = TestGateways.Secure(token),
                GraphEndpoint = simulator.GraphBaseUrl,
                Resilience = FastResilience(),
                ResourceUnits = resourceUnits,
                Verbose = line => { lock (log) { log.Add(line); } },
            },
            null,
            CancellationToken.None);

    /// <summary>Sends the session's verbose text from this async flow on to <see cref="Log"/>, as a running cmdlet does with its stream.</summary>
    public IDisposable AttachLog() => Session.Verbose.Attach(line => { lock (Log) { Log.Add(line); } });

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await Simulator.DisposeAsync();
        lock (Log)
        {
            if (Log.Any(line => line.Contains(Token, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("The verbose log contains the access token.");
            }
        }
    }
}
