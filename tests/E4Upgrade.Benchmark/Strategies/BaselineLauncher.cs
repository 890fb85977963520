using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>A baseline script in a fresh process of this app ("strategy" verb), so its peak memory is its own.</summary>
public sealed class BaselineLauncher : IStrategyLauncher
{
    public BaselineLauncher(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public ChildProcess Start(IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, StrategyFiles files)
    {
        File.WriteAllLines(files.Users, users.Select(u => $"{u.Id}\t{u.UserPrincipalName}"));
        var self = typeof(BaselineLauncher).Assembly.Location;
        var arguments = new[]
        {
            self, "strategy",
            "--name", Name,
            "--graph", simulator.GraphUrl(),
            "--users-file", files.Users,
            "--outcomes-file", files.Outcomes,
            "--summary-file", files.Summary,
            "--source-sku-id", tenant.SourceSkuId.ToString(),
            "--target-sku-id", tenant.TargetSkuId.ToString(),
        };
        return ChildProcess.Start("dotnet", arguments, files.Log, new Dictionary<string, string> { [BaselineChild.TokenVariable] = simulator.Token });
    }
}
