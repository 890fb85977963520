using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>The simulator's /_simulator/* control endpoints (no token, never throttled).</summary>
public sealed class SimulatorClient : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly HttpClient http;

    public SimulatorClient(string rootUrl)
    {
        http = new HttpClient { BaseAddress = new Uri(rootUrl + "/_simulator/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public async Task<SimulatorStats> StatsAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<SimulatorStats>("stats", Web, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException("The simulator answered /_simulator/stats with nothing.");

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("reset", null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async Task<TenantSnapshot> TenantAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("tenant", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TenantSnapshot.From(document.RootElement);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>The counters of GET /_simulator/stats the benchmark reads.</summary>
public sealed class SimulatorStats
{
    public long Requests { get; set; }
    public long BatchItems { get; set; }
    public long Writes { get; set; }
    public long Throttled { get; set; }
    public long Faults { get; set; }
    public long LicenseWrites { get; set; }
    public int UsersWithMultipleLicenseWrites { get; set; }
    public int UsersEverUnlicensed { get; set; }
    public int Users { get; set; }
}
