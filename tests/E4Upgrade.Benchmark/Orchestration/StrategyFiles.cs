using System.IO;

namespace E4Upgrade.Benchmark.Orchestration;

/// <summary>Where one strategy run keeps its input, outcomes, summary, log and timeline (under out/bench/runs/).</summary>
public sealed class StrategyFiles
{
    public StrategyFiles(string outputDirectory, string runName)
    {
        Directory = Path.Combine(outputDirectory, "runs", runName);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }
    public string Users => Path.Combine(Directory, "users.txt");
    public string Outcomes => Path.Combine(Directory, "outcomes.tsv");
    public string Summary => Path.Combine(Directory, "summary.json");
    public string Log => Path.Combine(Directory, "process.log");
    public string Timeline => Path.Combine(Directory, "timeline.csv");
}
