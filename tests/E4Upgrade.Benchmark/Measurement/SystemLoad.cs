using System.IO;

namespace E4Upgrade.Benchmark.Measurement;

/// <summary>
/// The machine's 1, 5 and 15-minute load averages (/proc/loadavg), reported next to timings of local work: on a
/// shared 2-core machine a load above 2 means other processes took CPU time from the measured one.
/// </summary>
public static class SystemLoad
{
    public static string Describe()
    {
        const string loadavg = "/proc/loadavg";
        if (!File.Exists(loadavg))
        {
            return "unknown";
        }

        var parts = File.ReadAllText(loadavg).Split(' ');
        return parts.Length >= 3 ? $"{parts[0]} / {parts[1]} / {parts[2]}" : "unknown";
    }
}
