using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// The Graph session the module holds between cmdlets (Connect-E4Upgrade sets it, Disconnect-E4Upgrade
    /// clears it). PowerShell module state is process-wide by nature, so this is the one static in the module.
    /// </summary>
    internal static class ModuleSession
    {
        private static readonly object Gate = new object();
        private static ConnectedSession? current;

        public static ConnectedSession? Current
        {
            get { lock (Gate) { return current; } }
        }

        public static void Set(GraphSession session)
        {
            lock (Gate)
            {
                current?.Graph.Dispose();
                current = new ConnectedSession(session);
            }
        }

        public static bool Clear()
        {
            lock (Gate)
            {
                if (current == null)
                {
                    return false;
                }

                current.Graph.Dispose();
                current = null;
                return true;
            }
        }

        /// <summary>The current session, or a terminating NotConnected error on the calling cmdlet.</summary>
        public static ConnectedSession Require(PSCmdlet cmdlet)
        {
            var session = Current;
            if (session == null)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create(
                    ErrorIds.NotConnected,
                    ErrorCategory.ConnectionError,
                    "Not connected to Microsoft Graph. Run Connect-E4Upgrade first.",
                    null));
            }

            return session!;
        }
    }

    internal sealed class ConnectedSession
    {
        public ConnectedSession(GraphSession graph)
        {
            Graph = graph;
        }

        public GraphSession Graph { get; }

        public ILicensingGateway Gateway => Graph.Gateway;

        public LicenseMoveEngine CreateMoveEngine() => new LicenseMoveEngine(Graph.Gateway);

        private static readonly TimeSpan SkuCacheLifetime = TimeSpan.FromMinutes(1);
        private readonly object skuGate = new object();
        private Task<IReadOnlyList<SkuInfo>>? skuRead;
        private DateTime skuReadStarted;

        /// <summary>
        /// The tenant's SKUs for tab completion, read at most once a minute; null when the read fails or takes longer
        /// than <paramref name="timeout"/> (completion then falls back to the catalog rather than hang the prompt).
        /// </summary>
        public IReadOnlyList<SkuInfo>? TryReadSkus(TimeSpan timeout)
        {
            Task<IReadOnlyList<SkuInfo>> read;
            lock (skuGate)
            {
                if (skuRead == null || skuRead.IsFaulted || skuRead.IsCanceled || DateTime.UtcNow - skuReadStarted > SkuCacheLifetime)
                {
                    skuReadStarted = DateTime.UtcNow;
                    skuRead = Task.Run(() => Gateway.GetSubscribedSkusAsync(CancellationToken.None));
                }

                read = skuRead;
            }

            try
            {
                // A completer runs synchronously on the pipeline thread; this is the one place that waits on a task.
                return read.Wait(timeout) ? read.Result : null;
            }
            catch (AggregateException)
            {
                return null;
            }
        }
    }
}
