using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading;
using E4Upgrade.GraphSimulator.Graph;
using E4Upgrade.GraphSimulator.Licensing;
using E4Upgrade.GraphSimulator.Options;
using E4Upgrade.GraphSimulator.Pipeline;
using E4Upgrade.GraphSimulator.Tenant;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>Builds the simulator's parts from the options and owns them for the life of the host.</summary>
internal sealed class SimulatorServices
{
    /// <summary>The app registration every accepted token belongs to (it names the per-app throttle scope).</summary>
    public const string AppId = "e4a0c0de-0000-4000-8000-000000000e40";

    public SimulatorServices(SimulatorOptions options, CancellationToken stopping)
    {
        Options = options;
        Time = new SimulatedTime(options);
        var settings = new TenantSettings(
            SkuCatalog.Shared,
            Rules(options),
            options.PlanStatuses,
            Time.ReplicationLag,
            options.TimeScale,
            options.Seed)
        {
            ReplicationLagP99 = Time.ReplicationLagP99,
            ConsumedUnitsLag = options.ConsumedUnitsLag,
            ConsumedUnitsFixedLag = Time.ConsumedUnitsLag,
            StaleUsageLocation = options.StaleUsageLocation,
            GroupConcurrencyRetry = Time.GroupConcurrencyRetry,
            Injected = new InjectedFaults(options.Injections),
        };
        this.settings = settings;
        var startingTenant = options.TenantFile is { } file
            ? JsonNode.Parse(File.ReadAllText(file))!.AsObject()
            : TenantGenerator.Generate(options.Users, options.TargetSeats, options.Seed, settings.Rules);
        Tenant = new TenantHolder(() => TenantLoader.Load(startingTenant, settings));
        Counters = new SimulatorCounters();
        Traffic = new GraphTraffic();
        Throttle = new IdentityThrottle(options, Tenant.Current.Users.Count);
        Spurious429s = new Spurious429Injector(options.Seed, options.Spurious429Rate);
        EarlyRetries = new EarlyRetryTracker();
        Certificate = options.Https ? SimulatorCertificate.Create() : null;
        Faults = new FaultInjector(options.Seed, options.FaultRate);
        ServerErrors = new ServerErrorInjector(options.Seed, options.ServerErrorRate, options.Landed429Rate);
        Injected = settings.Injected!;
        Tokens = new TokenStore(options);
        Clock = new SimulatorClock(options.ClockHeld);
        var processor = new GroupLicenseProcessor(Tenant, Time, Clock, stopping);
        var router = new GraphRouter(new UserEndpoints(Tenant, Injected), new GroupEndpoints(Tenant, processor), new DirectoryEndpoints(Tenant));
        Pipeline = new OperationPipeline(router, Throttle, Spurious429s, EarlyRetries, Faults, ServerErrors, Time, Counters, AppId, Tenant.Current.TenantId);
        Batch = new BatchProcessor(Pipeline, Counters, options.Seed);
    }

    private readonly TenantSettings settings;

    /// <summary>
    /// POST /_simulator/tenant: the tenant in the --tenant shape becomes the starting tenant, then everything is reset as
    /// by /_simulator/reset, so one simulator serves several tests. What the command line set stays (profile, limits,
    /// time scale), and so do the resource-unit tier and throttle scope taken from the first tenant.
    /// </summary>
    public void StartWith(JsonObject tenant)
    {
        TenantLoader.Load(tenant, settings); // a tenant that is not valid throws here, and the current one stays
        Tenant.StartWith(() => TenantLoader.Load(tenant, settings));
        Reset();
    }

    private static LicensingRules? Rules(SimulatorOptions options) =>
        !options.LicensingRules ? null
        : options.ExtraLicensingRulesFile is { } extra ? LicensingRules.Shared.WithDependenciesFrom(JsonNode.Parse(File.ReadAllText(extra))!.AsObject())
        : LicensingRules.Shared;

    public SimulatorOptions Options { get; }
    public TenantHolder Tenant { get; }
    public SimulatedTime Time { get; }

    /// <summary>The clock Entra's group processing runs on; tests advance it (POST /_simulator/clock/advance).</summary>
    public SimulatorClock Clock { get; }
    public SimulatorCounters Counters { get; }
    public GraphTraffic Traffic { get; }
    public IdentityThrottle Throttle { get; }
    public Spurious429Injector Spurious429s { get; }
    public EarlyRetryTracker EarlyRetries { get; }

    /// <summary>The TLS certificate served with --https; null for plain http.</summary>
    public X509Certificate2? Certificate { get; }
    public FaultInjector Faults { get; }
    public ServerErrorInjector ServerErrors { get; }
    public InjectedFaults Injected { get; }
    public TokenStore Tokens { get; }
    public OperationPipeline Pipeline { get; }
    public BatchProcessor Batch { get; }

    /// <summary>POST /_simulator/reset: starting tenant, zero counters, full quotas, startup tokens, fault rate and draws, injected faults.</summary>
    public void Reset()
    {
        Tenant.Reset();
        Counters.Reset();
        Throttle.Reset();
        Spurious429s.Reset();
        EarlyRetries.Reset();
        Tokens.Reset();
        Faults.Reset(Options.Seed, Options.FaultRate);
        ServerErrors.Reset();
        Injected.Reset();
    }
}
