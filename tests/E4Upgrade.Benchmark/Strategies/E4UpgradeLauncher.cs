using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Orchestration;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// E4Upgrade as an admin runs it: a fresh pwsh (dotnet pwsh.dll, the PowerShell running build.ps1) that imports the
/// built module and pipes the users' UPNs from a file into Move-UserLicense (Scripts/Invoke-E4UpgradeMove.ps1).
/// </summary>
public sealed class E4UpgradeLauncher : IStrategyLauncher
{
    public const string StrategyName = "E4Upgrade";
    private readonly string pwshDll;
    private readonly string modulePath;
    private readonly bool planOnly;

    public E4UpgradeLauncher(string pwshDll, string modulePath, bool planOnly = false)
    {
        this.pwshDll = pwshDll;
        this.modulePath = modulePath;
        this.planOnly = planOnly;
    }

    public string Name => StrategyName;

    public ChildProcess Start(IReadOnlyList<TenantUser> users, TenantSnapshot tenant, RunningSimulator simulator, StrategyFiles files)
    {
        File.WriteAllLines(files.Users, users.Select(u => u.UserPrincipalName));
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "Invoke-E4UpgradeMove.ps1");
        var arguments = new List<string>
        {
            pwshDll, "-NoProfile", "-NonInteractive", "-File", script,
            "-ModulePath", modulePath,
            "-GraphEndpoint", simulator.GraphUrl(),
            "-UsersFile", files.Users,
            "-OutcomesFile", files.Outcomes,
            "-SummaryFile", files.Summary,
            "-FromSku", TenantSnapshot.SourceSku,
            "-ToSku", TenantSnapshot.TargetSku,
        };
        if (planOnly)
        {
            arguments.Add("-PlanOnly");
        }

        return ChildProcess.Start("dotnet", arguments, files.Log, new Dictionary<string, string> { [BaselineChild.TokenVariable] = simulator.Token });
    }
}
