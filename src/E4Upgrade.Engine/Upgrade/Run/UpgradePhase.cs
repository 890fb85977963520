namespace E4Upgrade.Engine.Upgrade
{
    public enum UpgradePhase
    {
        Eligibility,
        WaitForTarget,
        DirectAssignments,
        GroupAssignments,
        Completion,
    }
}
