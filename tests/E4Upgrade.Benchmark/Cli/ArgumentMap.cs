using System;
using System.Collections.Generic;
using System.Globalization;

namespace E4Upgrade.Benchmark.Cli;

/// <summary>"--name value" pairs after the verb; every option takes exactly one value.</summary>
public sealed class ArgumentMap
{
    private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

    public ArgumentMap(IReadOnlyList<string> args, int start)
    {
        for (var i = start; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }
    }

    public string Required(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"Missing option --{name}.");

    public string? Optional(string name) => values.TryGetValue(name, out var value) ? value : null;

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;
}
