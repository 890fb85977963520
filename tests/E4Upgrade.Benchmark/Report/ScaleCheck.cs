using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using E4Upgrade.Benchmark.Scale;

namespace E4Upgrade.Benchmark.Report;

/// <summary>
/// Issue 3's "a 100,000-user generated tenant starts in seconds and serves a full paged listing" and issue 5's
/// "Test-E4UpgradeEligibility works on a tenant of 100,000 users in seconds of local time", measured: the five values
/// of out/bench/scale.json, what explains them in results.md, and the targets.
/// </summary>
public sealed class ScaleCheck
{
    public const double MaxSimulatorStartSeconds = 10;
    public const double MaxListingSeconds = 15;
    public const double MaxEligibilitySeconds = 15;

    public required ScaleMeasurement Measured { get; init; }

    /// <summary>Users in the generated tenant; every one of them holds E4 (directly or through a group).</summary>
    public required int TenantUsers { get; init; }
    public required string Settings { get; init; }
    public required ListingResult Listing { get; init; }
    public required EligibilitySummary Eligibility { get; init; }

    /// <summary>Wall time of the pwsh that ran the eligibility check (start-up, import, Connect and the cmdlet).</summary>
    public required double EligibilityProcessSeconds { get; init; }

    /// <summary>Load averages (1 / 5 / 15 min) when the section started and ended: the timings are of local work.</summary>
    public required string LoadBefore { get; init; }
    public required string LoadAfter { get; init; }

    private double SimulatorStartSeconds => Measured.SimulatorStartSeconds;
    private double ListingSeconds => Measured.ListingSeconds;
    private long ListedUsers => Measured.ListedUsers;
    private double EligibilitySeconds => Measured.EligibilitySeconds;
    private int EligibilityUsers => Measured.EligibilityUsers;

    public bool ListingComplete => ListedUsers == TenantUsers && Listing.Distinct == TenantUsers;

    public IReadOnlyList<TargetCheck> Targets() => new[]
    {
        new TargetCheck(
            FormattableString.Invariant($"Simulator with {TenantUsers:N0} generated users answers within {MaxSimulatorStartSeconds:0} s of process start"),
            FormattableString.Invariant($"{SimulatorStartSeconds:0.0} s"),
            SimulatorStartSeconds < MaxSimulatorStartSeconds),
        new TargetCheck(
            FormattableString.Invariant($"Full paged listing of the {TenantUsers:N0} E4 holders through the Graph SDK in < {MaxListingSeconds:0} s"),
            FormattableString.Invariant($"{ListingSeconds:0.0} s, {ListedUsers:N0} users ({Listing.Distinct:N0} distinct) in {Listing.Pages:N0} pages")
                + (ListingComplete ? "" : FormattableString.Invariant($"; expected {TenantUsers:N0}")),
            ListingSeconds < MaxListingSeconds && ListingComplete),
        new TargetCheck(
            FormattableString.Invariant($"Test-E4UpgradeEligibility on {TenantUsers:N0} users in < {MaxEligibilitySeconds:0} s of local time, TotalE4Users {TenantUsers:N0}"),
            FormattableString.Invariant($"{EligibilitySeconds:0.0} s, TotalE4Users {EligibilityUsers:N0}")
                + (EligibilityUsers == TenantUsers ? "" : FormattableString.Invariant($"; expected {TenantUsers:N0}")),
            EligibilitySeconds < MaxEligibilitySeconds && EligibilityUsers == TenantUsers),
    };
}

/// <summary>out/bench/scale.json.</summary>
public sealed class ScaleMeasurement
{
    [JsonPropertyName("simulatorStartSeconds")] [JsonPropertyOrder(0)] public required double SimulatorStartSeconds { get; init; }
    [JsonPropertyName("listingSeconds")] [JsonPropertyOrder(1)] public required double ListingSeconds { get; init; }
    [JsonPropertyName("listedUsers")] [JsonPropertyOrder(2)] public required long ListedUsers { get; init; }
    [JsonPropertyName("eligibilitySeconds")] [JsonPropertyOrder(3)] public required double EligibilitySeconds { get; init; }
    [JsonPropertyName("eligibilityUsers")] [JsonPropertyOrder(4)] public required int EligibilityUsers { get; init; }
}
