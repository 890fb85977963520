namespace E4Upgrade.Engine.Connection
{
    /// <summary>What a PermissionMissing error tells the admin: the permission Graph wanted and how to go on.</summary>
    internal static class PermissionMissingAdvice
    {
        public static string For(PermissionNeed? need, GraphAuthMethod? authMethod)
        {
            var what = need == null
                ? "The app or account lacks a permission this call needs."
                : $"The token lacks {need.Describe()}.";
            var grant = authMethod == GraphAuthMethod.DeviceCode
                ? " Consent to it for the app, and make sure the signed-in user holds a directory role that allows it (License Administrator or User Administrator; Groups Administrator for groups),"
                : " Grant it to the app as an application permission with admin consent (for a managed identity, as an app role assignment),";
            return what + grant + " then connect again and run the same command: it resumes after what is already done.";
        }
    }
}
