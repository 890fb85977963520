using System;
using System.Collections.Generic;
using System.IO;
using E4Upgrade.Benchmark.Measurement;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.GraphSimulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Scale;

/// <summary>
/// Test-E4UpgradeEligibility as an admin runs it: a fresh pwsh (dotnet pwsh.dll) that imports the built module,
/// connects to the simulator and times the cmdlet alone (Scripts/Measure-E4UpgradeEligibility.ps1).
/// </summary>
public sealed class EligibilityLauncher
{
    private readonly string pwshDll;
    private readonly string modulePath;

    public EligibilityLauncher(string pwshDll, string modulePath)
    {
        this.pwshDll = pwshDll;
        this.modulePath = modulePath;
    }

    public ChildProcess Start(RunningSimulator simulator, string targetSku, string summaryFile, string logFile)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "Measure-E4UpgradeEligibility.ps1");
        var arguments = new List<string>
        {
            pwshDll, "-NoProfile", "-NonInteractive", "-File", script,
            "-ModulePath", modulePath,
            "-GraphEndpoint", simulator.GraphUrl(),
            "-SummaryFile", summaryFile,
            "-TargetSku", targetSku,
        };
        return ChildProcess.Start("dotnet", arguments, logFile, new Dictionary<string, string> { [BaselineChild.TokenVariable] = simulator.Token });
    }
}
