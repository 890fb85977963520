using System;

namespace E4Upgrade.Output
{
    /// <summary>What Connect-E4Upgrade established. Holds no token or secret.</summary>
    public sealed class E4UpgradeConnection
    {
        internal E4UpgradeConnection(string authMethod, string? tenantId, string? clientId, Uri graphEndpoint, DateTimeOffset connectedAt)
        {
            AuthMethod = authMethod;
            TenantId = tenantId;
            ClientId = clientId;
            GraphEndpoint = graphEndpoint.ToString();
            ConnectedAt = connectedAt;
        }

        public string AuthMethod { get; }
        /// <summary>The tenant the session works in: the token's tid, else GET /organization's id, else as given.</summary>
        public string? TenantId { get; }
        public string? ClientId { get; }
        public string GraphEndpoint { get; }
        public DateTimeOffset ConnectedAt { get; }
    }
}
