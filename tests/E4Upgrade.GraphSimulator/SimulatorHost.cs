using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.GraphSimulator.Hosting;
using E4Upgrade.GraphSimulator.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace E4Upgrade.GraphSimulator;

/// <summary>
/// Starts the Graph simulator, in-process (tests) or as the standalone program. Arguments are the command line
/// documented in README.md; without --urls it binds http://127.0.0.1:0 (a free port), or https://127.0.0.1:0 with --https.
/// </summary>
public static class SimulatorHost
{
    public static Task<RunningSimulator> StartAsync(params string[] args) => StartAsync(args, CancellationToken.None);

    public static async Task<RunningSimulator> StartAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = CommandLineParser.Parse(args);
        var stopping = new CancellationTokenSource();
        var services = new SimulatorServices(options, stopping.Token);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.EffectiveUrls);
        if (services.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            if (services.Certificate is { } served)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = served);
            }
        });
        var app = builder.Build();
        var graph = new GraphHttpHandler(services);
        AdminEndpoints.Map(app, services);
        ManagedIdentityEndpoint.Map(app, services);
        app.Map("/v1.0", branch => branch.Run(graph.HandleAsync));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var root = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new RunningSimulator(new InProcessRuntime(app, stopping), root, options.EffectiveTokens.FirstOrDefault() ?? options.ReadTokens.First(), services.Certificate);
    }

    /// <summary>
    /// Starts the simulator as a process of its own: `dotnet <paramref name="simulatorDll"/> args` (the published
    /// out/GraphSimulator/E4Upgrade.GraphSimulator.dll), for callers that must not share a process with it. Same
    /// arguments and the same <see cref="RunningSimulator"/> as in process; it returns once the process says it is
    /// listening and answers /_simulator/stats. The arguments are checked here first, so a bad one throws
    /// ArgumentException as in process. Output goes to <paramref name="logFile"/> when given. With --https the
    /// certificate trusted is the one whose thumbprint the process printed.
    /// </summary>
    public static async Task<RunningSimulator> StartProcessAsync(string simulatorDll, IReadOnlyList<string> args, string? logFile = null, CancellationToken cancellationToken = default)
    {
        var options = CommandLineParser.Parse(args.ToArray());
        var token = options.EffectiveTokens.FirstOrDefault() ?? options.ReadTokens.First();
        var process = SimulatorProcess.Start(simulatorDll, args, logFile);
        RunningSimulator? simulator = null;
        try
        {
            var (root, thumbprint) = await process.WaitUntilListeningAsync(options.Https, TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
            var certificate = thumbprint is null ? null : await ServedCertificate.FetchAsync(root, thumbprint, cancellationToken).ConfigureAwait(false);
            simulator = new RunningSimulator(process, root, token, certificate);
            await simulator.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            return simulator;
        }
        catch
        {
            await (simulator?.DisposeAsync() ?? process.DisposeAsync()).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The standalone program: starts, prints one "listening" line (with --https a second one with the certificate's
    /// thumbprint), runs until Ctrl-C or SIGTERM.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        RunningSimulator simulator;
        try
        {
            simulator = await StartAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException or System.IO.IOException)
        {
            // Bad options or a tenant file that cannot be loaded: say why, no stack trace.
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        await using (simulator.ConfigureAwait(false))
        {
            Console.WriteLine($"Graph simulator listening on {simulator.GraphBaseUrl}");
            if (simulator.CertificateThumbprint is { } thumbprint)
            {
                Console.WriteLine($"Certificate thumbprint (SHA-1): {thumbprint}");
            }
            await simulator.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
