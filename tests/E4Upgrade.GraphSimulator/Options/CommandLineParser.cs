using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>Parses the simulator's command line (see README.md for every option).</summary>
public static class CommandLineParser
{
    private static readonly string[] PlanStatuses = { "Success", "Disabled", "PendingActivation", "PendingInput", "PendingProvisioning", "Error" };

    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
        var profile = ProfileOf(args);
        if (profile == "realistic")
        {
            Apply(options, RealisticProfile.Settings.SelectMany(s => s.Arguments).ToList());
        }

        options.Profile = profile;
        Apply(options, args);
        CheckHttps(options);
        return options;
    }

    private static string ProfileOf(IReadOnlyList<string> args)
    {
        var profile = "ideal";
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (string.Equals(args[i], "--profile", StringComparison.OrdinalIgnoreCase))
            {
                profile = args[i + 1].ToLowerInvariant();
            }
        }

        return profile is "ideal" or "realistic"
            ? profile
            : throw new ArgumentException($"--profile expects ideal or realistic, got '{profile}'.");
    }

    private static void Apply(SimulatorOptions options, IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option {name} needs a value.");
                }

                return args[++i];
            }

            switch (name.ToLowerInvariant())
            {
                case "--profile": Value(); break; // read first, by ProfileOf
                case "--urls": options.Urls = Value(); break;
                case "--tenant": options.TenantFile = Value(); break;
                case "--users": options.Users = PositiveInt(name, Value()); break;
                case "--target-seats": options.TargetSeats = NonNegativeInt(name, Value()); break;
                case "--token": options.Tokens.Add(Value()); break;
                case "--read-token": options.ReadTokens.Add(Value()); break;
                case "--write-limit": options.WriteLimit = RateLimit.Parse(Value()); break;
                case "--tenant-write-limit": options.TenantWriteLimit = RateLimit.Parse(Value()); break;
                case "--time-scale": options.TimeScale = PositiveDouble(name, Value()); break;
                case "--latency-ms": options.LatencyMs = NonNegativeDouble(name, Value()); break;
                case "--group-delay-ms":
                case "--group-start-delay-ms": options.GroupStartDelayMs = NonNegativeDouble(name, Value()); break;
                case "--clock": options.ClockHeld = Value().ToLowerInvariant() switch
                {
                    "real" => false,
                    "held" => true,
                    var other => throw new ArgumentException($"--clock expects real or held, got '{other}'."),
                }; break;
                case "--group-members-per-second": options.GroupMembersPerSecond = GroupPace(name, Value()); break;
                case "--replication-lag-ms": options.ReplicationLagMs = NonNegativeDouble(name, Value()); break;
                case "--replication-lag-p99-ms": options.ReplicationLagP99Ms = NonNegativeDouble(name, Value()); break;
                case "--consumed-units-lag": SetConsumedUnitsLag(options, name, Value()); break;
                case "--stale-usage-location": options.StaleUsageLocation = OnOff(name, Value()); break;
                case "--group-concurrency-retry-ms": options.GroupConcurrencyRetryMs = NonNegativeDouble(name, Value()); break;
                case "--licensing-rules": options.LicensingRules = OnOff(name, Value()); break;
                case "--extra-licensing-rules":
                    options.ExtraLicensingRulesFile = Value();
                    options.LicensingRules = true;
                    break;
                case "--inject": SetInjection(options, name, Value()); break;
                case "--plan-status": SetPlanStatus(options, name, Value()); break;
                case "--refused-write-cost": options.RefusedWriteCost = NonNegativeDouble(name, Value()); break;
                case "--fault-rate": options.FaultRate = Fraction(name, Value()); break;
                case "--seed": options.Seed = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--https": options.Https = true; break;
                case "--resource-unit-limit": options.ResourceUnitLimit = ResourceUnitLimit.Parse(Value()); break;
                case "--background-writes": options.BackgroundWritesPerSecond = NonNegativeDouble(name, Value()); break;
                case "--spurious-429-rate": options.Spurious429Rate = Fraction(name, Value()); break;
                case "--identity-header": options.IdentityHeader = Value(); break;
                case "--identity-token-lifetime": options.IdentityTokenLifetimeSeconds = PositiveDouble(name, Value()); break;
                case "--identity-client-id": options.IdentityClientIds.Add(Value()); break;
                case "--identity-roles":
                    options.IdentityRoles.Clear();
                    options.IdentityRoles.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--server-error-rate": options.ServerErrorRate = Fraction(name, Value()); break;
                case "--landed-429-rate": options.Landed429Rate = Fraction(name, Value()); break;
                default: throw new ArgumentException($"Unknown option '{name}'. See tests/E4Upgrade.GraphSimulator/README.md.");
            }
        }
    }

    /// <summary>PLAN=STATUS sets a default; PLAN=default removes one (e.g. one the profile set).</summary>
    private static void SetPlanStatus(SimulatorOptions options, string name, string text)
    {
        var eq = text.IndexOf('=');
        var plan = eq > 0 ? text[..eq] : string.Empty;
        var status = eq > 0 ? text[(eq + 1)..] : string.Empty;
        if (plan.Length == 0)
        {
            throw new ArgumentException($"{name} expects PLAN=STATUS, e.g. INTUNE_O365=PendingActivation; got '{text}'.");
        }

        if (string.Equals(status, "default", StringComparison.OrdinalIgnoreCase))
        {
            options.PlanStatuses.Remove(plan);
            return;
        }

        options.PlanStatuses[plan] = PlanStatuses.FirstOrDefault(s => string.Equals(s, status, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{name}: unknown status '{status}'. Use one of {string.Join(", ", PlanStatuses)} or default.");
    }

    private static void SetInjection(SimulatorOptions options, string name, string text)
    {
        var eq = text.IndexOf('=');
        var kind = eq > 0 ? text[..eq].ToLowerInvariant() : text.ToLowerInvariant();
        if (!Pipeline.InjectedFaultKinds.All.Contains(kind))
        {
            throw new ArgumentException($"{name} expects KIND=N with KIND one of {string.Join(", ", Pipeline.InjectedFaultKinds.All)}; got '{text}'.");
        }

        options.Injections[kind] = eq > 0 ? NonNegativeInt(name, text[(eq + 1)..]) : 1;
    }

    /// <summary>on: the objects' lag distribution; off; or a number: a fixed lag of its own (Graph ms) for consumedUnits only.</summary>
    private static void SetConsumedUnitsLag(SimulatorOptions options, string name, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            options.ConsumedUnitsLagMs = NonNegativeDouble(name, text);
            options.ConsumedUnitsLag = options.ConsumedUnitsLagMs > 0;
            return;
        }

        options.ConsumedUnitsLag = OnOff(name, text);
        options.ConsumedUnitsLagMs = 0;
    }

    private static bool OnOff(string name, string text) => text.ToLowerInvariant() switch
    {
        "on" or "true" => true,
        "off" or "false" => false,
        _ => throw new ArgumentException($"{name} expects on or off, got '{text}'."),
    };

    private static void CheckHttps(SimulatorOptions options)
    {
        if (options.Https && options.Urls is { } urls
            && urls.Split(';').Any(u => !u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"--https serves only https; --urls '{urls}' names another scheme.");
        }
    }

    private static int PositiveInt(string name, string text)
    {
        var value = NonNegativeInt(name, text);
        return value > 0 ? value : throw new ArgumentException($"{name} must be at least 1.");
    }

    private static int NonNegativeInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} expects a whole number, got '{text}'.");

    private static double NonNegativeDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} expects a non-negative number, got '{text}'.");

    private static double PositiveDouble(string name, string text)
    {
        var value = NonNegativeDouble(name, text);
        return value > 0 ? value : throw new ArgumentException($"{name} must be greater than 0.");
    }

    /// <summary>
    /// Entra's published worst case that is still normal: licensing-group-advanced says to open a support ticket when
    /// processing takes more than 24 hours for up to 60,000 users, i.e. 60,000 members in 86,400 s.
    /// </summary>
    internal const double WorstCaseMembersPerSecond = 60000d / 86400d;

    /// <summary>A pace in members per second, or "worst-case" for <see cref="WorstCaseMembersPerSecond"/>.</summary>
    private static double GroupPace(string name, string text) =>
        string.Equals(text, "worst-case", StringComparison.OrdinalIgnoreCase) ? WorstCaseMembersPerSecond : NonNegativeDouble(name, text);

    internal static double Fraction(string name, string text)
    {
        var value = NonNegativeDouble(name, text);
        return value <= 1 ? value : throw new ArgumentException($"{name} must be between 0 and 1.");
    }
}
