@{
    Synopsis    = 'Runs the whole E4 upgrade: checks, direct assignments, group assignments, summary; resumable.'
    Description = @'
Start-E4Upgrade moves every Office 365 E4 user of the tenant to the target SKU, in phases:

1. Eligibility: the same check as Test-E4UpgradeEligibility. A blocker stops the run before any change unless you accept its code with -AcceptFinding. -UsageLocation turns missing usage locations into a warning.
2. Optionally (-WaitForTarget) wait until the target subscription is active with enough free seats: a new subscription can take time to provision.
3. Direct assignments through the move engine: one atomic assignLicense per user (add the target, remove E4), 20 per Graph $batch, paced under Graph's write limits, throttled and failed items retried, disabled plans carried across.
4. Group-based assignments at the group: one group assignLicense adds the target and removes E4 (Microsoft's current guidance), then every member is read until the target is Active and E4 gone, reporting per-member errors such as CountViolation, with a timeout (-GroupProcessingTimeout). Member lists can lag behind Entra, so an error or a member still pending is concluded only from a second read after the replication lag. Before the swap, a group is refused (its members keep E4) when a member lacks a target seat, or when a member would be refused the target because of their other licenses or usage location (MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation: the swap would leave them with neither license); the latter is eligibility's GroupMemberConflicts warning, and -AcceptFinding GroupMemberConflicts swaps such groups anyway.
5. A summary: counts per status, duration, throttling seen, journal path.

Every decision is written to a journal (-JournalPath; by default under your local application data folder, E4Upgrade/journals) and flushed to disk as it is made. After a crash, a killed process, Ctrl-C or an expired token, run the same command again: it continues where it stopped, redoes nothing that was done, and loses nothing. A write whose answer never arrived is checked by reading the user before anything is sent again. The journal holds no token or secret, only user ids, names, SKUs and results. On Linux and macOS it is created readable by its owner only (mode 0600). On Windows it takes the permissions of its folder: the default folder under your profile grants only you, SYSTEM and Administrators, but a journal placed elsewhere with -JournalPath is readable by whoever can read that folder. A run holds its journal exclusively until it ends: a second run on the same journal stops at once with JournalInUse (naming the other process where the system can tell). A journal of another tenant is refused (JournalOtherTenant); a journal path that is a symbolic link is refused (JournalIsLink); a plan dependency read back from the journal is applied only when its plans are plans of the source and target, and one that would switch off Exchange, SharePoint/OneDrive, Teams or the Office apps stops the run as the blocker LearntRuleDisablesCoreService until you accept it; a folder that cannot be written gives JournalNotWritable, and a disk that fills up mid-run gives JournalWriteFailed with the journal cut back to its last complete record, so the same command continues once there is space. A user an earlier run finished who holds E4 again is read again and decided from live data; a user deleted after an earlier run tried to move them is reported once as Skipped/UserDeleted and then counted done.

-WhatIf produces the full plan (who moves how, which plans are mapped or dropped, which groups swap) and changes nothing, not even the journal. The cmdlet asks for confirmation once (ConfirmImpact High); in a runbook pass -Confirm:$false. Failed users do not stop the run: each is reported in its result (-PassThru) and in verbose output, and when anything is left undone the cmdlet ends with one UpgradeIncomplete error that counts the failures by reason, so -ErrorAction Stop makes a scheduler see the failure after the run has done all it can.
'@
    Parameters  = @{
        TargetSku              = 'The SKU or SKUs to move to: a suite, then any add-ons (-TargetSku ''Microsoft_365_E5_(no_Teams)'',Microsoft_Teams_Enterprise_New). Each by part number exactly as the tenant spells it (SPE_E5, ''Microsoft_365_E5_(no_Teams)'', ''O365_w/o_Teams_Bundle_M5'': quote names with parentheses, slashes or spaces) or by skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected. Every SKU is added in the same assignLicense that removes E4 (users and groups alike), so nobody has a service gap; seats are checked per SKU (InsufficientLicenses names the SKU that ran out); disabled plans are mapped onto the whole target. The journal records the target: resuming with other add-ons is refused with CompoundTargetChanged.'
        RemoveRedundantAddOns  = 'Also remove, in the same assignLicense that moves each direct user, add-on SKUs whose every plan the target includes (Test-E4UpgradeEligibility lists them as RedundantAddOns), as the admin center''s upgrade does. An add-on is kept for a user who would have one of its plans disabled in the target. Without the switch, add-ons stay assigned. Group-assigned add-ons are not touched.'
        SourceSku              = 'The SKU to move from, named like -TargetSku (Tab completes it). Defaults to the tenant''s Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant). Any suite can be the source: -SourceSku SPE_E5 for Teams unbundling; findings, warnings, progress and the journal then name that SKU instead of E4.'
        JournalPath            = 'The journal file. Default: <LocalApplicationData>/E4Upgrade/journals/<tenant>-<source>-<target>.jsonl. Use the same path to resume; a journal of another source or target is refused (JournalMismatch), one of the same suite with other add-ons (CompoundTargetChanged), one of another tenant (JournalOtherTenant), one that names no tenant id or a tenant name instead (JournalWithoutTenantId). The tenant is the tid claim of the session''s token, else the id GET /organization gives (read when connecting). A file that is not a journal (its first record is not a run record with the journal''s format marker), or that is not a regular file (a device, a FIFO), is refused with NotAJournal and left exactly as it was; a path on a drive of another provider (Variable:, Env:) or with a NUL character is refused with InvalidJournalPath. A relative path is resolved from the current location. An Azure Blob Storage URL (https://<account>.blob.core.windows.net/<container>/<name>.jsonl) puts the journal in an append blob that outlives an Azure Automation sandbox, with the same rules: it is reached with a SAS in the URL''s query (read, add, create and write) or with the session''s credential asking for storage (a managed identity with Storage Blob Data Contributor; not an -AccessToken session: JournalStorageNoCredential). The run holds a 15-second blob lease, renewed every 5 seconds; a run that finds it held waits up to 20 seconds (a dead job''s lease lapses within 15) and then stops with JournalInUse. The SAS never appears in the summary, the journal, messages or errors. A URL that cannot name a blob (not https, except plain http to this computer as for the Azurite emulator; no container or blob; a container that does not exist) is InvalidJournalUrl; storage refusing access is JournalStorageDenied; storage not answering is JournalStorageUnreachable. An append blob holds at most 50,000 records: a longer journal goes on in <name>.2, <name>.3 beside it, so a SAS should be the container''s.'
        AcceptFinding          = 'Blocker codes from the eligibility check to accept and go ahead anyway, for example InsufficientTargetSeats when you know seats are being added. Warnings never stop the run. GroupMemberConflicts (a warning) is accepted the same way: then groups with members whom Graph is expected to refuse the target are swapped anyway, and those members lose E4 without getting the target.'
        UsageLocation          = 'An ISO 3166-1 alpha-2 country code (US, DE, GB, ...) set on direct users who have no usage location, before their license is assigned. Any other value stops the run before any change with error id InvalidUsageLocation.'
        DisabledPlans          = 'Target service plans to disable for every directly licensed user, by name or id, instead of the plans mapped from each user''s E4 license.'
        WaitForTarget          = 'Wait until the target SKU is active and has enough free seats before moving anyone, up to -TargetWaitTimeout.'
        TargetWaitTimeout      = 'How long -WaitForTarget waits; then the run stops with TargetNotReady. Default 30 minutes.'
        GroupProcessingTimeout = 'How long to wait, per group, for Entra to process its members after the swap. Default: the time Microsoft gives before it treats processing as a support case (24 hours for a group of up to 60,000 users), scaled to the group''s members and at least 60 minutes (1,000 members: 60 minutes; 10,000: 4 hours; 60,000: 24 hours). Members still pending when it passes are reported with GroupProcessingTimeout (nothing is undone) and the group TimedOut; run the same command again later: it does not send the swap again, it verifies the members. While the run waits, a progress bar under the group phase shows the group''s members moved, with errors and pending, and how long it has waited.'
        GroupSwapsInFlight     = 'How many group swaps may be sent and not yet verified at one time (1 to 100; default 20). Each group''s target seats are promised before its swap is sent, counting the seats owed to every swap Entra has not processed yet, so a group the free seats cannot cover is refused whole (its members keep E4). The swaps are then verified together, so several groups take about as long as the slowest one. 1 sends the next swap only when the previous group is verified or timed out.'
        PollInterval           = 'How often the target subscription and group members are read while waiting. Default 30 seconds.'
        PassThru               = 'Also write every per-user result (LicenseMoveResult) and per-group result (GroupUpgradeResult) before the summary.'
        MaxRunDuration         = 'Stop cleanly before this much time has passed: no new write is sent, the writes in flight are answered and journaled, and a group Entra is still processing is left as sent for the next run to check. The summary''s State is then Continues and NextRunAfter says when to run the same command again; no UpgradeIncomplete error is written. An Azure Automation cloud job is stopped at 3 hours: give it less (for example 02:30:00). Default: no limit.'
    }
    Examples    = @(
        @{
            Title   = 'Teams unbundling: Microsoft 365 E5 to the no-Teams suite plus Teams Enterprise'
            Code    = "Start-E4Upgrade -SourceSku SPE_E5 -TargetSku 'Microsoft_365_E5_(no_Teams)', Microsoft_Teams_Enterprise_New"
            Remarks = 'The same run from another suite: every finding and message names SPE_E5; Teams stays off for users who had it off.'
        }
        @{
            Title   = 'A suite without Teams plus Teams Enterprise, dropping add-ons the suite includes'
            Code    = "Start-E4Upgrade -TargetSku 'Microsoft_365_E5_(no_Teams)', Microsoft_Teams_Enterprise_New -RemoveRedundantAddOns"
            Remarks = 'Every user and group gets both SKUs in the call that removes E4; Audio Conferencing or Teams Phone add-ons that E5 includes are removed in the same call.'
        }
        @{
            Title   = 'See the plan, then run it'
            Code    = @'
Start-E4Upgrade -TargetSku SPE_E5 -WhatIf | Where-Object { $_ -is [E4Upgrade.Output.LicenseMoveResult] } | Export-Csv plan.csv -NoTypeInformation
Start-E4Upgrade -TargetSku SPE_E5 -PassThru | Where-Object { $_ -is [E4Upgrade.Output.LicenseMoveResult] } | Export-Csv results.csv -NoTypeInformation
'@
            Remarks = 'The first command writes nothing to the tenant. The second asks once for confirmation; -PassThru writes a LicenseMoveResult per user, a GroupUpgradeResult per group and the summary, and the filter keeps one CSV row per user.'
        }
        @{
            Title   = 'Unattended in an Azure Automation runbook'
            Code    = @'
Connect-E4Upgrade -ManagedIdentity
Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -WaitForTarget -JournalPath "$env:TEMP\e4.jsonl" -Confirm:$false -ErrorAction Stop
'@
            Remarks = 'No prompts. If the job is stopped or crashes, starting it again with the same journal continues the run. Keep the journal on storage that survives the job if the sandbox is recycled: in Azure Automation, give -JournalPath a blob URL (README, Running in Azure Automation).'
        }
        @{
            Title   = 'A run that fits an Azure Automation job'
            Code    = @'
Connect-E4Upgrade -ManagedIdentity
$summary = Start-E4Upgrade -TargetSku SPE_E5 -MaxRunDuration 02:30:00 -Confirm:$false -ErrorAction Stop
if ($summary.State -eq 'Continues') { "Run again from $($summary.NextRunAfter)" }
'@
            Remarks = 'The run ends before the 3-hour limit of a cloud job, with the journal complete. The journal must outlive the job for the next one to continue (see about_E4Upgrade_Journal); the sandbox''s disk does not.'
        }
        @{
            Title   = 'Accept a known blocker'
            Code    = 'Start-E4Upgrade -TargetSku ENTERPRISEPREMIUM -AcceptFinding InsufficientTargetSeats -Confirm:$false'
            Remarks = 'Moves as many direct users as there are seats; the rest are reported InsufficientLicenses. A group whose members would not all get a seat is not swapped at all (group licensing would remove E4 from every member and leave some without a license). Run the command again once seats are added.'
        }
    )
    OutputDescriptions = @{
        'E4Upgrade.Engine.Upgrade.UpgradeSummary' = 'Always, last: counts per status, duration, the expected duration (-WhatIf shows it before any change), throttling, the journal path. Get-E4UpgradeReport reads the journal it names.'
        'E4Upgrade.Output.LicenseMoveResult' = 'With -PassThru or -WhatIf: one per direct user and per group member.'
        'E4Upgrade.Output.GroupUpgradeResult' = 'With -PassThru or -WhatIf: one per group that assigned E4.'
    }
    Notes       = 'Error ids: NotConnected, NotEligible, SkuNotFound, TargetNotReady, InvalidUsageLocation, JournalMismatch, CompoundTargetChanged, JournalOtherTenant, JournalCorrupt, JournalInUse, JournalNotWritable, JournalWriteFailed, JournalIsLink, TokenExpired, PermissionMissing (Graph answered 403; the message names the permission to grant; run the same command again once granted), UpgradeIncomplete, plus the per-user ids of Move-UserLicense. Result reasons that are not errors: UserDeleted (a user deleted after an earlier run tried to move them). A group deleted after an earlier run swapped it is reported with Status Gone and a warning.'
}
