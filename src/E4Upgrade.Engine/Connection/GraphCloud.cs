using System;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>The Graph service root and sign-in authority of each national cloud (Microsoft's national cloud deployments table).</summary>
    public static class GraphCloud
    {
        public static Uri DefaultGraphEndpoint(GraphEnvironment environment) => environment switch
        {
            GraphEnvironment.Global => new Uri("https://graph.microsoft.com/v1.0"),
            GraphEnvironment.USGov => new Uri("https://graph.microsoft.us/v1.0"),
            GraphEnvironment.USGovDoD => new Uri("https://dod-graph.microsoft.us/v1.0"),
            GraphEnvironment.China => new Uri("https://microsoftgraph.chinacloudapi.cn/v1.0"),
            _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown Graph environment."),
        };

        public static Uri AuthorityHost(GraphEnvironment environment) => environment switch
        {
            GraphEnvironment.Global => new Uri("https://login.microsoftonline.com/"),
            GraphEnvironment.USGov => new Uri("https://login.microsoftonline.us/"),
            GraphEnvironment.USGovDoD => new Uri("https://login.microsoftonline.us/"),
            GraphEnvironment.China => new Uri("https://login.chinacloudapi.cn/"),
            _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown Graph environment."),
        };

        /// <summary>The token scope for a Graph endpoint: its origin plus "/.default" (e.g. https://graph.microsoft.com/.default).</summary>
        public static string DefaultScope(Uri graphEndpoint) =>
            graphEndpoint.GetLeftPart(UriPartial.Authority).TrimEnd('/') + "/.default";
    }
}
