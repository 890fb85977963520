using System.Runtime.CompilerServices;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>A one-off move as the cmdlet makes it: plan once from the options, then move.</summary>
internal static class PlanningEngine
{
    public static IAsyncEnumerable<MoveResult> MoveAsync(this LicenseMoveEngine engine, IAsyncEnumerable<UserReference> users, MoveOptions options, IProgress<MoveProgress>? progress, CancellationToken cancellationToken) =>
        Run(engine, options, plan => engine.MoveAsync(users, plan, progress, cancellationToken), cancellationToken);

    public static IAsyncEnumerable<MoveResult> MoveAsync(this LicenseMoveEngine engine, IAsyncEnumerable<UserLicenses> users, MoveOptions options, IProgress<MoveProgress>? progress, CancellationToken cancellationToken) =>
        Run(engine, options, plan => engine.MoveAsync(users, plan, progress, cancellationToken), cancellationToken);

    private static async IAsyncEnumerable<MoveResult> Run(LicenseMoveEngine engine, MoveOptions options, Func<MovePlan, IAsyncEnumerable<MoveResult>> move, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var plan = await engine.PlanAsync(options, cancellationToken);
        await foreach (var result in move(plan).WithCancellation(cancellationToken))
        {
            yield return result;
        }
    }
}
