using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>The simulator as a web application in this process (xunit, the standalone program).</summary>
internal sealed class InProcessRuntime : ISimulatorRuntime
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;

    public InProcessRuntime(WebApplication app, CancellationTokenSource stopping)
    {
        this.app = app;
        this.stopping = stopping;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
