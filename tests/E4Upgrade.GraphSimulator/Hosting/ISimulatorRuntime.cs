using System;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>What keeps a started simulator running: a web application in this process, or a process of its own.</summary>
internal interface ISimulatorRuntime : IAsyncDisposable
{
    /// <summary>Completes when the simulator stops (Ctrl-C / SIGTERM in process, exit for a process).</summary>
    Task WaitForShutdownAsync(CancellationToken cancellationToken);
}
