using System;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>The benchmark could not measure (a process crashed or timed out, the simulator did not start): exit non-zero.</summary>
public sealed class BenchmarkFailedException : Exception
{
    public BenchmarkFailedException(string message)
        : base(message)
    {
    }
}
