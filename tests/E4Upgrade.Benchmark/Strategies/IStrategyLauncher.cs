using System.Collections.Generic;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>Starts one strategy in its own process against the simulator; the process writes the files it is given.</summary>
public interface IStrategyLauncher
{
    string Name { get; }

    ChildProcess Start(IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, StrategyFiles files);
}
