using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Orchestration;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>The Graph simulator as a process on a free loopback port, as tests/pester/E4Upgrade.TestHelpers.psm1 starts it.</summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    private readonly ChildProcess process;

    private RunningSimulator(ChildProcess process, string rootUrl, string token, SimulatorSettings settings)
    {
        this.process = process;
        RootUrl = rootUrl;
        Token = token;
        Settings = settings;
        Client = new SimulatorClient(rootUrl);
    }

    public string RootUrl { get; }
    public string GraphUrl => RootUrl + "/v1.0";
    public string Token { get; }
    public SimulatorSettings Settings { get; }
    public SimulatorClient Client { get; }

    public static async Task<RunningSimulator> StartAsync(string simulatorDll, SimulatorSettings settings, string logFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(simulatorDll))
        {
            throw new BenchmarkFailedException($"Graph simulator not built: {simulatorDll} (run build.ps1 Build).");
        }

        var rootUrl = $"http://127.0.0.1:{FreePort()}";
        var token = "bench-" + Guid.NewGuid().ToString("n");
        var arguments = new[] { simulatorDll, "--urls", rootUrl, "--token", token }.Concat(settings.Arguments());
        var process = ChildProcess.Start("dotnet", arguments, logFile);
        var simulator = new RunningSimulator(process, rootUrl, token, settings);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await simulator.DisposeAsync().ConfigureAwait(false);
                throw new BenchmarkFailedException($"Graph simulator exited at start: {process.Tail(20)}");
            }

            try
            {
                await simulator.Client.StatsAsync(cancellationToken).ConfigureAwait(false);
                return simulator;
            }
            catch (HttpRequestException)
            {
                // Short polls: the scale section times the start with this loop.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        await simulator.DisposeAsync().ConfigureAwait(false);
        throw new BenchmarkFailedException($"Graph simulator did not answer within 120 s: {process.Tail(20)}");
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
