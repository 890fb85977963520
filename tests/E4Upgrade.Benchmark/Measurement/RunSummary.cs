using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Benchmark.Measurement;

/// <summary>
/// What a strategy's process reports about itself at the end (written by the baseline child and by
/// Scripts/Invoke-E4UpgradeMove.ps1): the move's own duration, its peak memory and its result counts.
/// </summary>
public sealed class RunSummary
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>From the first call to Graph to the last result (excludes process start and module import).</summary>
    public double Seconds { get; set; }
    public long PeakMemoryKb { get; set; }
    public long Reported { get; set; }
    public long Moved { get; set; }
    public long AlreadyMoved { get; set; }
    public long Skipped { get; set; }
    public long Failed { get; set; }

    public static async Task<RunSummary> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<RunSummary>(stream, Web, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, Web, cancellationToken).ConfigureAwait(false);
    }
}
