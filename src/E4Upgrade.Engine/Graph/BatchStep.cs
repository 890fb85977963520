using System;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>One request inside a $batch: id, method, URL relative to the service root (escaped), optional JSON body.</summary>
    internal sealed class BatchStep
    {
        public BatchStep(string id, string method, string relativeUrl, byte[]? jsonBody)
        {
            Id = id ?? throw new ArgumentNullException(nameof(id));
            Method = method ?? throw new ArgumentNullException(nameof(method));
            RelativeUrl = relativeUrl ?? throw new ArgumentNullException(nameof(relativeUrl));
            JsonBody = jsonBody;
        }

        public string Id { get; }
        public string Method { get; }
        public string RelativeUrl { get; }
        public byte[]? JsonBody { get; }
    }
}
