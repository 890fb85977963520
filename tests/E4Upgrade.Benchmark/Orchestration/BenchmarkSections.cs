using System.Collections.Generic;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>The parts of "run", selectable with --sections (Invoke-Benchmark.ps1 -Only).</summary>
public static class BenchmarkSections
{
    public const string Throughput = "Throughput";
    public const string Memory = "Memory";
    public const string Scale = "Scale";
    public const string Groups = "Groups";

    public const string Sandbox = "Sandbox";

    public static readonly IReadOnlyList<string> All = new[] { Throughput, Memory, Scale, Groups, Sandbox };
}
