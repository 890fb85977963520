using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>A non-2xx answer to a request the gateway sent itself, shaped like the SDK's ApiException so one retry pipeline handles both.</summary>
    internal sealed class GraphStatusException : ApiException
    {
        public GraphStatusException(GraphResponse response, string operation)
            : base($"{operation} failed with HTTP {response.Status}{(response.Error?.Code != null ? " " + response.Error.Code : "")}.")
        {
            ResponseStatusCode = response.Status;
            ResponseHeaders = response.Headers.ToDictionary(
                header => header.Key,
                header => (IEnumerable<string>)new[] { header.Value },
                StringComparer.OrdinalIgnoreCase);
            Response = response;
        }

        public GraphResponse Response { get; }
    }
}
