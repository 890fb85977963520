using System.Collections.Generic;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// One $batch on its way through the session's handlers, carried as a request option: the steps it was built from,
    /// so the resource-unit handler prices the items without parsing the JSON envelope, and the answer that handler
    /// parsed, so <see cref="GraphRequestSender"/> does not parse it a second time. One parse of each body per $batch.
    /// </summary>
    internal sealed class BatchExchange : IRequestOption
    {
        public BatchExchange(IReadOnlyList<BatchStep> steps)
        {
            Steps = steps;
        }

        public IReadOnlyList<BatchStep> Steps { get; }

        /// <summary>The answer as parsed on its way back (a 2xx with a body), or null.</summary>
        public BatchResponse? Answer { get; set; }
    }
}
