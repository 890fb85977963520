using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Benchmark.Scale;

/// <summary>What Scripts/Measure-E4UpgradeEligibility.ps1 writes: the cmdlet's own wall time and the report's counts.</summary>
public sealed class EligibilitySummary
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Test-E4UpgradeEligibility alone (Measure-Command), without pwsh start-up, import or Connect.</summary>
    public double Seconds { get; set; }
    public int TotalE4Users { get; set; }
    public int DirectE4Users { get; set; }
    public int GroupE4Users { get; set; }
    public int E4Groups { get; set; }
    public bool IsEligible { get; set; }
    public int BlockerCount { get; set; }
    public int WarningCount { get; set; }
    public List<string> Findings { get; set; } = new();
    public long PeakMemoryKb { get; set; }

    public static async Task<EligibilitySummary> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<EligibilitySummary>(stream, Web, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}
