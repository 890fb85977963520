using System.Text.Json.Serialization;

namespace E4Upgrade.Benchmark.Report;

/// <summary>
/// out/bench/sandbox.json: the peak working set of a whole pwsh process running Start-E4Upgrade, and one running
/// Test-E4UpgradeEligibility, over a large tenant, against a limit below the Azure Automation sandbox's 400 MB (the
/// Automation limits of "Azure subscription and service limits"; one newer copy of the page says 900 MB, we design for 400).
/// </summary>
public sealed class SandboxCheck
{
    public const double LimitMB = 300;
    public const double SandboxMB = 400;

    [JsonPropertyName("settings")] public required string Settings { get; init; }
    [JsonPropertyName("tenantUsers")] public required int TenantUsers { get; init; }
    [JsonPropertyName("upgrade")] public required SandboxRun Upgrade { get; init; }
    [JsonPropertyName("eligibility")] public required SandboxRun Eligibility { get; init; }
    [JsonPropertyName("limitMB")] public double Limit => LimitMB;
    [JsonPropertyName("sandboxMB")] public double Sandbox => SandboxMB;
    [JsonPropertyName("met")] public bool Met => Upgrade.PeakMemoryMB <= LimitMB && Eligibility.PeakMemoryMB <= LimitMB && Upgrade.State == "Completed";

    public TargetCheck Target() => new(
        $"pwsh peak working set over {TenantUsers:N0} users <= {LimitMB:0} MB (Azure Automation sandbox: {SandboxMB:0} MB)",
        $"Start-E4Upgrade {Upgrade.PeakMemoryMB:0.0} MB ({Upgrade.State}, {Upgrade.Seconds:0} s), Test-E4UpgradeEligibility {Eligibility.PeakMemoryMB:0.0} MB ({Eligibility.Seconds:0} s)",
        Met);
}

public sealed class SandboxRun
{
    [JsonPropertyName("cmdlet")] public required string Cmdlet { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("users")] public required long Users { get; init; }
    [JsonPropertyName("moved")] public required long Moved { get; init; }
    [JsonPropertyName("groupMembersMoved")] public required long GroupMembersMoved { get; init; }
    [JsonPropertyName("failed")] public required long Failed { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }
    [JsonPropertyName("peakMemoryMB")] public required double PeakMemoryMB { get; init; }
}
