using System.Diagnostics;
using E4Upgrade.GraphSimulator.Tests.Support;
using Xunit;
using static E4Upgrade.GraphSimulator.Tests.Support.SimulatorGraph;

namespace E4Upgrade.GraphSimulator.Tests;

/// <summary>
/// SimulatorHost.StartProcessAsync: the same RunningSimulator, with the simulator in a process of its own (the
/// benchmark's way). The published simulator is the one beside this test assembly (a referenced executable project
/// comes with its runtimeconfig).
/// </summary>
public sealed class ProcessHostTests
{
    private static readonly string SimulatorDll = Path.Combine(AppContext.BaseDirectory, "E4Upgrade.GraphSimulator.dll");

    [Fact]
    public async Task StartProcess_ServesGraphFromAnotherProcess_OnThePortItPrinted_AndDisposeEndsIt()
    {
        var log = Path.Combine(Path.GetTempPath(), $"e4upgrade-sim-{Guid.NewGuid():n}.log");
        try
        {
            int processId;
            await using (var simulator = await SimulatorHost.StartProcessAsync(SimulatorDll, new[] { "--users", "20", "--token", "process-token" }, log))
            {
                processId = Assert.IsType<int>(simulator.ProcessId);
                Assert.NotEqual(Environment.ProcessId, processId);
                Assert.Equal("process-token", simulator.Token);
                Assert.NotEqual(0, simulator.RootUrl.Port);

                await Client(simulator).Users[Upn(1)].AssignLicense.PostAsync(Swap(O365E3, E4));
                var stats = await simulator.GetStatsAsync();
                Assert.Equal((1L, 20), (stats.LicenseWrites, stats.Users));
            }

            Assert.Contains($"Graph simulator listening on", await File.ReadAllTextAsync(log));
            Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId));
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task StartProcess_OverHttps_TrustsTheCertificateWhoseThumbprintItPrinted()
    {
        await using var simulator = await SimulatorHost.StartProcessAsync(SimulatorDll, new[] { "--https", "--users", "10" });

        var served = await AdminHttp.GetAsync(simulator, "_simulator/certificate");
        var skus = await Client(simulator).SubscribedSkus.GetAsync();

        Assert.Equal("https", simulator.GraphBaseUrl.Scheme);
        Assert.Equal(served.GetProperty("thumbprint").GetString(), simulator.CertificateThumbprint);
        Assert.Equal(5, skus!.Value!.Count);
    }

    [Fact]
    public async Task StartProcess_ThatExitsBeforeItIsReady_SaysWhy()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-tenant-{Guid.NewGuid():n}.json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SimulatorHost.StartProcessAsync(SimulatorDll, new[] { "--tenant", missing }));

        Assert.Contains("exited (code 2) before it was ready", error.Message);
        Assert.Contains(Path.GetFileName(missing), error.Message);
    }

    [Fact]
    public async Task StartProcess_WithABadOption_ThrowsArgumentException_BeforeStartingAnything()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartProcessAsync(SimulatorDll, new[] { "--profile", "optimistic" }));
    }
}
