namespace E4Upgrade.Engine.Moves
{
    public enum MoveStatus
    {
        Moved,
        AlreadyMoved,
        Skipped,
        Failed,
        /// <summary>Plan mode (-WhatIf): the user would be moved; nothing was written.</summary>
        WouldMove,
    }
}
