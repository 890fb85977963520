using System;
using System.IO;
using E4Upgrade.Benchmark.Measurement;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>What a baseline script reports per user, streamed to the outcome file and counted.</summary>
public sealed class OutcomeRecorder : IDisposable
{
    private readonly StreamWriter writer;

    public OutcomeRecorder(string path)
    {
        writer = new StreamWriter(path, append: false);
    }

    public long Moved { get; private set; }
    public long Failed { get; private set; }

    public void RecordMoved(BaselineUser user)
    {
        Moved++;
        writer.WriteLine(OutcomeFile.Line(user.Id, user.UserPrincipalName, OutcomeFile.Moved, null));
    }

    public void RecordFailed(BaselineUser user, string reason)
    {
        Failed++;
        writer.WriteLine(OutcomeFile.Line(user.Id, user.UserPrincipalName, OutcomeFile.Failed, reason));
    }

    public void Dispose() => writer.Dispose();
}
