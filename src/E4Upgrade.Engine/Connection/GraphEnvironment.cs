namespace E4Upgrade.Engine.Connection
{
    /// <summary>The Microsoft cloud whose Graph endpoint and sign-in authority are used.</summary>
    public enum GraphEnvironment
    {
        Global,
        USGov,
        USGovDoD,
        China,
    }
}
