namespace E4Upgrade.Engine.Connection
{
    public enum GraphAuthMethod
    {
        ClientSecret,
        CertificateThumbprint,
        Certificate,
        /// <summary>System-assigned, or user-assigned when ClientId is set.</summary>
        ManagedIdentity,
        DeviceCode,
        /// <summary>A token obtained elsewhere; sent as is, never refreshed.</summary>
        AccessToken,
    }
}
