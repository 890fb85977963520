@{
    Synopsis    = 'Reverses what Start-E4Upgrade did, from its journal: users and groups get their source license back, with the plans they had disabled, and lose the target.'
    Description = @'
Undo-E4Upgrade is the backout plan. It reads the journal of a Start-E4Upgrade run and gives every user and every group the journal records as moved its source SKU back, with exactly the service plans it had disabled before the run, and removes the target SKUs (every SKU of a compound target), in one assignLicense call each: adding and removing in one call is atomic, so nobody is ever without a license. Users go 20 to a $batch, paced under Graph's write limit and retried like a run; groups one at a time. A write whose answer is lost is read back before it is sent again.

Each user and group is read first. One that no longer holds exactly what the run gave it (the target removed, its disabled plans changed, the source assigned again by hand) is skipped and reported with the reason UndoChangedSinceRun, never overwritten. A user the journal does not record the earlier plans of (journals written before this version) is skipped with UndoStateNotRecorded; a user whose run also removed add-ons (-RemoveRedundantAddOns) with UndoAddOnsNotRestorable. Users moved with a group are given back at their group, whose members Entra processes in the background.

Before any change the source's free seats are checked against everyone who would hold it again (users, and group members who hold it in no other way): too few is the InsufficientSourceSeats error and nothing is written. The journal is the one of the run, in its own tenant (JournalOtherTenant otherwise), locked for the undo as for a run (JournalInUse). The undo writes its own records into it, so the same command continues an undo that was stopped (Ctrl-C, a killed process) without writing a finished user again, and Get-E4UpgradeReport shows both the run and the undo.

-WhatIf shows the plan (who gets what back, who is skipped and why) and writes nothing, not even the journal. The cmdlet asks for confirmation once per journal (ConfirmImpact High); in a runbook pass -Confirm:$false. Reverse a subset with -User, -Group, or rows of Get-E4UpgradeReport piped in.
'@
    Parameters  = @{
        JournalPath   = 'The journal of the run to reverse. Accepts the JournalPath of a Start-E4Upgrade summary or of Get-E4UpgradeReport rows, or the FullName of a file from Get-ChildItem, from the pipeline. It must exist (JournalNotFound) and be a journal of the connected tenant.'
        User          = 'Reverse only these users: object ids or user principal names, as the journal recorded them. Binds UserId, UserPrincipalName or Id from the pipeline, so rows of Get-E4UpgradeReport (or Import-Csv of them) can be piped in. A user the journal records no move of is reported Skipped with UndoNotMovedByRun. Without -User and -Group, everyone the journal records as moved is reversed.'
        Group         = 'Reverse only these groups (object ids). Binds GroupId from the pipeline: a group row of Get-E4UpgradeReport names its group, and so does the row of a user moved with a group (the group is reversed as a whole; group licenses change at the group).'
        WriteAttempts = 'How many times one user''s or group''s write is sent at most when Graph throttles it or does not answer (default 6). A write whose answer was lost is read back before it is sent again.'
    }
    Examples    = @(
        @{
            Title   = 'See the way back, then take it'
            Code    = @'
Undo-E4Upgrade -JournalPath ./e4.jsonl -WhatIf | Format-Table
Undo-E4Upgrade -JournalPath ./e4.jsonl -Confirm:$false | Export-Csv undo.csv -NoTypeInformation
'@
            Remarks = 'The first line shows who would get the source back (WouldUndo) and who would be skipped and why; nothing is written. The second reverses the run and keeps a CSV of every user and group.'
        }
        @{
            Title   = 'Reverse only the users who report a problem'
            Code    = 'Undo-E4Upgrade -JournalPath ./e4.jsonl -User adele@contoso.com, 5f1c1b0e-0000-0000-0000-000000000001 -Confirm:$false'
            Remarks = 'Users are named by UPN or object id; everyone else stays on the target.'
        }
        @{
            Title   = 'Reverse the users of one department from the report'
            Code    = 'Get-E4UpgradeReport -JournalPath ./e4.jsonl | Where-Object { $_.Kind -eq ''User'' -and $_.Status -eq ''Moved'' -and $_.UserPrincipalName -like ''*@sales.contoso.com'' } | Undo-E4Upgrade -Confirm:$false'
            Remarks = 'Report rows carry JournalPath and UserId, which bind by property name.'
        }
        @{
            Title   = 'Continue an undo that was stopped'
            Code    = 'Undo-E4Upgrade -JournalPath ./e4.jsonl -Confirm:$false'
            Remarks = 'The same command again: users and groups the first undo finished are not read or written again (counted in DoneEarlier); one whose write had no recorded answer is read first and counted AlreadyUndone if it had landed.'
        }
    )
    InputDescriptions  = @{ 'System.String' = 'By property name: JournalPath (or FullName), UserId (or UserPrincipalName, Id) and GroupId, as Get-E4UpgradeReport rows and Start-E4Upgrade summaries carry them.' }
    OutputDescriptions = @{
        'E4Upgrade.Output.UndoResultRecord'     = 'One per user and group looked at: Undone, AlreadyUndone, WouldUndo (-WhatIf), Skipped or Failed, with the reason, the plans disabled again and the SKUs removed.'
        'E4Upgrade.Engine.Upgrade.UndoSummary'   = 'Last, per journal: the counts, the source seats needed and free, DoneEarlier (finished by an earlier undo), throttling and the duration.'
    }
    Notes       = 'Error ids: JournalNotFound, NotAJournal, JournalCorrupt, JournalOtherTenant, JournalWithoutTenantId, JournalInUse (another run or undo holds the journal), SkuNotFound (the source SKU is gone from the tenant), InsufficientSourceSeats (before any change), TokenExpired, PermissionMissing, UndoIncomplete (some users or groups failed; run the same command again). Result reasons: UndoChangedSinceRun, UndoStateNotRecorded, UndoAddOnsNotRestorable, UndoNotMovedByRun, UserNotFound, GroupNotFound, RetriesExhausted, GraphError.'
}
