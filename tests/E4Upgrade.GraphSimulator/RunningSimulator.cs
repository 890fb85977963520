using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Hosting;

namespace E4Upgrade.GraphSimulator;

/// <summary>
/// A started simulator, in this process (<see cref="SimulatorHost.StartAsync(string[])"/>) or as a process of its own
/// (<see cref="SimulatorHost.StartProcessAsync"/>); the same object either way. Dispose it to stop it. The helpers
/// call the /_simulator endpoints over HTTP.
/// </summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly ISimulatorRuntime runtime;
    private readonly HttpClient http;

    internal RunningSimulator(ISimulatorRuntime runtime, Uri rootUrl, string token, X509Certificate2? certificate)
    {
        this.runtime = runtime;
        RootUrl = rootUrl;
        GraphBaseUrl = new Uri(rootUrl, "v1.0");
        Token = token;
        Certificate = certificate;
        http = new HttpClient(CreateHttpHandler()) { BaseAddress = rootUrl, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>http://127.0.0.1:PORT/ (https:// with --https)</summary>
    public Uri RootUrl { get; }

    /// <summary>http://127.0.0.1:PORT/v1.0 (no trailing slash): pass it to GraphServiceClient as the base URL.</summary>
    public Uri GraphBaseUrl { get; }

    /// <summary>
    /// The self-signed certificate served with --https; null for plain http. In process it holds the key too; for a
    /// simulator process only the public part (as presented in the TLS handshake).
    /// </summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>SHA-1 thumbprint (upper-case hex) of <see cref="Certificate"/>, as printed at start; null for plain http.</summary>
    public string? CertificateThumbprint => Certificate?.Thumbprint;

    /// <summary>
    /// An HTTP handler for clients of this simulator (for example GraphClientFactory.Create(handlers, finalHandler: ...)).
    /// With --https it trusts exactly <see cref="Certificate"/>, and only that one, besides what the system trusts.
    /// </summary>
    public HttpMessageHandler CreateHttpHandler()
    {
        var handler = new SocketsHttpHandler();
        if (Certificate is { } expected)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (errors == SslPolicyErrors.RemoteCertificateChainErrors && Hosting.SimulatorCertificate.IsSame(expected, certificate));
        }

        return handler;
    }

    /// <summary>The first full-rights token (the first --token, or "simulator-token" when none was given).</summary>
    public string Token { get; }

    public Task<SimulatorStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync<SimulatorStats>("_simulator/stats", cancellationToken);

    /// <summary>The current tenant in the --tenant file shape (see README.md). Dispose the document.</summary>
    public async Task<JsonDocument> GetTenantAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri("_simulator/tenant", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Successful, state-changing user assignLicense calls for one user (id or userPrincipalName).</summary>
    public async Task<int> GetLicenseWritesAsync(string userIdOrUpn, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync<JsonDocument>($"_simulator/users/{Uri.EscapeDataString(userIdOrUpn)}/license-writes", cancellationToken).ConfigureAwait(false);
        return document.RootElement.GetProperty("licenseWrites").GetInt32();
    }

    /// <summary>User id to successful license-write count, for every user with at least one.</summary>
    public async Task<IReadOnlyDictionary<string, int>> GetAllLicenseWritesAsync(CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync<JsonDocument>("_simulator/license-writes", cancellationToken).ConfigureAwait(false);
        return document.RootElement.GetProperty("licenseWrites").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    public Task ResetAsync(CancellationToken cancellationToken = default) => PostAsync("_simulator/reset", new { }, cancellationToken);

    /// <summary>Moves the clock of Entra's group processing ahead by this much real time (POST /_simulator/clock/advance).</summary>
    public Task AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        PostAsync("_simulator/clock/advance", new { seconds = by.TotalSeconds }, cancellationToken);

    public Task RevokeTokenAsync(string token, CancellationToken cancellationToken = default) =>
        PostAsync("_simulator/tokens/revoke", new { token }, cancellationToken);

    public Task AddTokenAsync(string token, bool readOnly = false, CancellationToken cancellationToken = default) =>
        PostAsync("_simulator/tokens", new { token, readOnly }, cancellationToken);

    public Task SetFaultRateAsync(double faultRate, CancellationToken cancellationToken = default) =>
        PostAsync("_simulator/faults", new { faultRate }, cancellationToken);

    /// <summary>The simulator process's id; null when it runs in this process.</summary>
    public int? ProcessId => (runtime as SimulatorProcess)?.Id;

    /// <summary>The last lines a simulator process printed (for error messages); empty in process.</summary>
    public string OutputTail() => (runtime as SimulatorProcess)?.Tail() ?? "";

    internal Task WaitForShutdownAsync(CancellationToken cancellationToken) => runtime.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await runtime.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        var result = await http.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative), Web, cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException($"Empty answer from {path}.");
    }

    private async Task PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, Web, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}
