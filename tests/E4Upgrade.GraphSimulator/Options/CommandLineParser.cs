using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>Parses the simulator's command line (see README.md for every option).</summary>
public static class CommandLineParser
{
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
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
                case "--group-delay-ms": options.GroupDelayMs = NonNegativeDouble(name, Value()); break;
                case "--refused-write-cost": options.RefusedWriteCost = NonNegativeDouble(name, Value()); break;
                case "--fault-rate": options.FaultRate = Fraction(name, Value()); break;
                case "--seed": options.Seed = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--https": options.Https = true; break;
                case "--resource-unit-limit": options.ResourceUnitLimit = ResourceUnitLimit.Parse(Value()); break;
                case "--background-writes": options.BackgroundWritesPerSecond = NonNegativeDouble(name, Value()); break;
                case "--spurious-429-rate": options.Spurious429Rate = Fraction(name, Value()); break;
                default: throw new ArgumentException($"Unknown option '{name}'. See tests/E4Upgrade.GraphSimulator/README.md.");
            }
        }

        CheckHttps(options);
        return options;
    }

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

    internal static double Fraction(string name, string text)
    {
        var value = NonNegativeDouble(name, text);
        return value <= 1 ? value : throw new ArgumentException($"{name} must be between 0 and 1.");
    }
}
