@{
    Synopsis    = 'Reads a Start-E4Upgrade journal back as one record per user and per group, as a summary, or as an HTML report; offline.'
    Description = @'
Get-E4UpgradeReport turns the journal of a Start-E4Upgrade run into the record a change board reads: for every user and every group, when it was decided, from and to which SKUs (the SKUs of a compound target joined with ' + '), the status and its reason, the disabled plans before and after, how many writes were sent, and which run did it. It needs no connection: it reads only the file.

A journal covers every run of the same tenant, source and target, so a run that was stopped and resumed is one report. Each user appears once, with the outcome of the last run that decided it; a user moved with a group appears as a row with the group's id and name, apart from a direct move of the same user. A user whose write was sent but whose answer was never recorded (the process was killed) shows Unconfirmed until a later run reads the user again. Groups show Swapped, SwappedWithErrors, Failed, Sent (members not verified yet), TimedOut (members still processing) or Unconfirmed.

Name the journal with -JournalPath (Start-E4Upgrade's summary carries it, so the summary can be piped in), or give -TargetSku, and -TenantId and -SourceSku where needed, to find the journal Start-E4Upgrade wrote in its default folder. -Summary gives counts per status and reason, when the runs started and ended, and the throughput instead of the records.

-HtmlPath writes the report a change board reads as one self-contained HTML file (no script, nothing loaded from the network, laid out for print too): the tenant, from and to, each run with its times, the account and machine it ran on and the findings it accepted, totals by status and reason, a chart of the users moved over time (stretches with no result, such as throttling waits, shaded; the journal does not record the throttling itself), the groups with when each swap was sent and when its members were verified and how they ended, and every user or group not moved with its next step. Journals written before the run record kept the account and the accepted findings say "not recorded". The cmdlet then writes the file's FileInfo instead of the records.

After Undo-E4Upgrade ran on the journal, each user and group the undo took is one more row of Kind Undo (From the run's target, To its source; Status Undone, AlreadyUndone, Skipped, Failed or Unconfirmed, with the reason, such as UndoChangedSinceRun), -Summary counts UndoRuns, Undone, UndoSkipped and UndoFailed, and the HTML report has an undo section with every user or group not given back and why. The run's own rows stay as they were.

A journal cut short (the process died while writing its last line) still gives every complete record, followed by a JournalTruncated error. An unreadable line inside the journal gives JournalCorrupt and the records around it.
'@
    Parameters  = @{
        JournalPath = 'The journal file. Accepts the JournalPath of a Start-E4Upgrade summary, or the FullName of a file from Get-ChildItem, from the pipeline. Only a regular file that is a journal is read (NotAJournal otherwise, for a device or FIFO too; a line longer than 1 MiB, which the module never writes, is JournalCorrupt); a path on a drive of another provider (Variable:, Env:) or with a NUL character is InvalidJournalPath. The file is never changed. An Azure Blob Storage URL (the JournalPath of a run whose journal is a blob) is read with the SAS in its query, or with the connected session''s credential; the SAS is not shown in the records, the report or errors (InvalidJournalUrl, JournalStorageDenied, JournalStorageUnreachable, JournalStorageNoCredential, JournalNotFound).'
        TargetSku   = 'Find the journal Start-E4Upgrade wrote for this target in its default folder (<LocalApplicationData>/E4Upgrade/journals), named as the run named it (SPE_E5, ENTERPRISEPREMIUM). Several SKUs, as given to Start-E4Upgrade (''Microsoft_365_E5_(no_Teams)'', Microsoft_Teams_Enterprise_New), find the journal of a run to exactly those SKUs, in any order.'
        TenantId    = 'With -TargetSku: the tenant the journal is named by, which is the directory tenant id (a GUID) of the run''s sign-in, or the tenant given to Connect-E4Upgrade when the token named none. Defaults to the connected session''s; without a session, any tenant''s journal for the target is taken when there is exactly one.'
        SourceSku   = 'With -TargetSku: the source SKU part number of the run (ENTERPRISEWITHSCAL). Needed only when journals of several sources match.'
        HtmlPath    = 'Write a self-contained HTML report of the journal to this file (replaced if it exists) and output its FileInfo. Open it in any browser, or print it.'
        Summary     = 'Write one summary instead of the records: counts per status and per reason, the number of runs, start and end, active time and users per second.'
    }
    Examples    = @(
        @{
            Title   = 'The audit record of a run, as a CSV'
            Code    = 'Get-E4UpgradeReport -JournalPath ./e4.jsonl | Export-Csv e4-audit.csv -NoTypeInformation'
            Remarks = 'One row per user and per group with time, From, To, Status, Reason, disabled plans, Attempts, Run and RunId.'
        }
        @{
            Title   = 'What happened, in numbers'
            Code    = 'Get-E4UpgradeReport -TenantId 00000000-0000-0000-0000-000000000000 -TargetSku SPE_E5 -Summary'
            Remarks = 'Reads the default journal of that tenant (by its directory tenant id) for SPE_E5 and shows the counts per status and reason, start, end and throughput.'
        }
        @{
            Title   = 'Straight after a run, and only the failures'
            Code    = @'
$summary = Start-E4Upgrade -TargetSku SPE_E5 -Confirm:$false
$summary | Get-E4UpgradeReport | Where-Object Status -in 'Failed', 'Unconfirmed' | Format-Table
'@
            Remarks = 'The summary carries its JournalPath, which binds to -JournalPath.'
        }
        @{
            Title   = 'The report for the change board'
            Code    = 'Get-E4UpgradeReport -JournalPath ./e4.jsonl -HtmlPath ./e4-report.html'
            Remarks = 'Writes one HTML file with no external resources: totals, runs, the moves over time, groups and every failure with its next step. The FileInfo of the file is the output.'
        }
    )
    InputDescriptions  = @{ 'System.String' = 'A journal path, by property name: JournalPath (a Start-E4Upgrade summary) or FullName (a file from Get-ChildItem).' }
    OutputDescriptions = @{
        'E4Upgrade.Output.UpgradeReportRecord'  = 'Without -Summary: one per user and per group.'
        'E4Upgrade.Output.UpgradeReportSummary' = 'With -Summary: one per journal.'
        'System.IO.FileInfo'                    = 'With -HtmlPath: the report file written.'
    }
    Notes       = 'Error ids: JournalNotFound (no such file, or no default journal matches), NotAJournal (a folder, or a file that does not start with a run record), JournalAmbiguous (several default journals match), JournalTruncated (last line cut short; the complete records are still written), JournalCorrupt (an unreadable line inside), AccessDenied (the journal belongs to another account), JournalUnreadable (any other read failure), ReportNotWritable (-HtmlPath names a file that cannot be written).'
}
