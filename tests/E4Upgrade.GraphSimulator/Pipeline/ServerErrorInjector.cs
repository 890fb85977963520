using System.Threading;

namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Two failures Graph produces under every limit, drawn from --seed'ed sequences of their own (so --fault-rate's
/// sequence stays as it was):
/// --server-error-rate: a call or batch item answered 500, 502, 503 or 504, each equally likely (Microsoft's Dev Proxy
/// lists them among the errors Graph returns; no rate is published). A 502 or 504 to a write is applied first half of
/// the time (our choice: a gateway error says nothing about the backend); a 500 or 503 is not.
/// --landed-429-rate: a user write that is applied and then answered 429 (a Microsoft Q&amp;A answer,
/// learn.microsoft.com/answers/questions/5529013: a batch request may be carried out yet answered 429).
/// </summary>
internal sealed class ServerErrorInjector
{
    private readonly int seed;
    private readonly double serverErrorRate;
    private readonly double landed429Rate;
    private SeededRandom errors;
    private SeededRandom landed;

    public ServerErrorInjector(int seed, double serverErrorRate, double landed429Rate)
    {
        this.seed = seed;
        this.serverErrorRate = serverErrorRate;
        this.landed429Rate = landed429Rate;
        errors = new SeededRandom(unchecked(seed + 5));
        landed = new SeededRandom(unchecked(seed + 7));
    }

    public FaultKind DrawServerError()
    {
        var random = Volatile.Read(ref errors);
        if (serverErrorRate <= 0 || random.NextDouble() >= serverErrorRate)
        {
            return FaultKind.None;
        }

        return random.Next(4) switch
        {
            0 => FaultKind.InternalServerError,
            1 => FaultKind.BadGateway,
            2 => FaultKind.ServiceUnavailable,
            _ => FaultKind.GatewayTimeout,
        };
    }

    /// <summary>Whether a write answered <paramref name="kind"/> was applied before the answer (502 and 504: half of the time).</summary>
    public bool AppliedBeforeFailing(FaultKind kind) =>
        kind is FaultKind.BadGateway or FaultKind.GatewayTimeout && Volatile.Read(ref errors).NextDouble() < 0.5;

    public bool DrawLanded429() => landed429Rate > 0 && Volatile.Read(ref landed).NextDouble() < landed429Rate;

    public void Reset()
    {
        Volatile.Write(ref errors, new SeededRandom(unchecked(seed + 5)));
        Volatile.Write(ref landed, new SeededRandom(unchecked(seed + 7)));
    }
}
