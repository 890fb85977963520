using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>A script admins write today to swap licenses, reproduced faithfully with the Graph SDK.</summary>
public interface IBaselineStrategy
{
    Task RunAsync(GraphServiceClient client, IReadOnlyList<BaselineUser> users, LicenseSwap swap, OutcomeRecorder outcomes, CancellationToken cancellationToken);
}
