using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace E4Upgrade.Benchmark.Measurement;

/// <summary>This process's peak resident memory: VmHWM on Linux (exact high-water mark), PeakWorkingSet64 elsewhere.</summary>
public static class PeakMemory
{
    public static long OfThisProcessKb()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var number = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1024;
    }
}
