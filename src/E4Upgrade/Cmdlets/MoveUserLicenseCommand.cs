using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// Swaps one SKU for another on each piped user in one atomic assignLicense call. Input streams from
    /// ProcessRecord (pipeline thread) into the engine (thread pool); results stream back as they complete.
    /// </summary>
    [Cmdlet(VerbsCommon.Move, "UserLicense", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(LicenseMoveResult))]
    public sealed class MoveUserLicenseCommand : AsyncCmdlet
    {
        // One confirmation covers this many users, so -Confirm on 10,000 users asks 100 times, not 10,000.
        private const int ConfirmBatchSize = 100;
        private static readonly TimeSpan InputWait = TimeSpan.FromMilliseconds(20);

        private readonly List<UserReference> unconfirmed = new List<UserReference>();
        private AsyncInputQueue<UserReference>? input;
        private MoveProgressReporter? progress;
        private MoveOptions? options;
        private long received;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("UserPrincipalName", "Id", "UserId")]
        [AllowNull]
        public PSObject[] User { get; set; } = Array.Empty<PSObject>();

        // Named like Start-E4Upgrade's and Stop-E4Subscription's; FromSku/ToSku were the first names and stay as aliases.
        [Parameter(Mandatory = true)]
        [Alias("FromSku")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string SourceSku { get; set; } = "";

        [Parameter(Mandatory = true)]
        [Alias("ToSku")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string[] TargetSku { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNull]
        public string[]? DisabledPlans { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UsageLocation { get; set; }

        [Parameter]
        public SwitchParameter RemoveRedundantAddOns { get; set; }

        private string Target => string.Join(" + ", TargetSku);

        protected override void BeginProcessing()
        {

            options = new MoveOptions
            {
                FromSku = SourceSku,
                ToSkus = TargetSku,
                RemoveRedundantAddOns = RemoveRedundantAddOns.IsPresent,
                DisabledPlans = DisabledPlans,
                UsageLocation = UsageLocation?.ToUpperInvariant(),
            };
        }

        protected override void ProcessRecord()
        {
            // A $null piped in binds as a null array (or a null element): it still gets its one result.
            foreach (var item in User ?? new PSObject[] { null! })
            {
                UserReference reference;
                try
                {
                    reference = UserIdentityReader.Read(item);
                }
                catch (E4UpgradeException ex)
                {
                    // One result per input, even unreadable input, so an exported CSV accounts for every row.
                    WriteObject(new LicenseMoveResult(Unreadable(item, ex), SourceSku, Target));
                    WriteError(ErrorRecords.From(ex, item));
                    continue;
                }

                unconfirmed.Add(reference);
                if (unconfirmed.Count >= ConfirmBatchSize)
                {
                    SubmitConfirmedBatch();
                }
            }

            PumpAvailable();
        }

        protected override void EndProcessing()
        {
            SubmitConfirmedBatch();
            if (input == null)
            {
                return;
            }

            input.Complete();
            progress!.InputComplete(received);
            try
            {
                CompleteRun();
            }
            finally
            {
                WriteProgress(progress.Completed());
            }
        }

        private void SubmitConfirmedBatch()
        {
            if (unconfirmed.Count == 0)
            {
                return;
            }

            var batch = unconfirmed.ToArray();
            unconfirmed.Clear();
            var target = batch.Length == 1 ? batch[0].Key : $"{batch.Length} users ({batch[0].Key} ... {batch[batch.Length - 1].Key})";
            var action = $"Replace license {SourceSku} with {Target}";
            var confirmed = ShouldProcess($"Performing the operation \"{action}\" on target \"{target}\".", $"{action} for {target}?", "Confirm", out var reason);
            var planOnly = !confirmed && reason == ShouldProcessReason.WhatIf;
            if (!confirmed && !planOnly)
            {
                foreach (var user in batch)
                {
                    WriteObject(new LicenseMoveResult(Declined(user), SourceSku, Target));
                }

                return;
            }

            EnsureStarted(planOnly);
            foreach (var user in batch)
            {
                while (!input!.TryAdd(user, InputWait))
                {
                    PumpAvailable();
                    if (IsRunFinished)
                    {
                        // The engine stopped early (expired token, Ctrl-C): surface why.
                        CompleteRun();
                        return;
                    }
                }

                received++;
            }
        }

        private void EnsureStarted(bool planOnly)
        {
            if (input != null)
            {
                return;
            }

            var session = ModuleSession.Require(this);
            options!.PlanOnly = planOnly;
            input = new AsyncInputQueue<UserReference>(capacity: 2_000);
            progress = new MoveProgressReporter($"Moving licenses {SourceSku} -> {Target}", Output.Progress);
            var engine = session.CreateMoveEngine();
            var queue = input;
            var moveOptions = options;
            StartRun(ct => RunEngineAsync(engine, queue, moveOptions, ct));
        }

        private async Task RunEngineAsync(LicenseMoveEngine engine, AsyncInputQueue<UserReference> queue, MoveOptions moveOptions, CancellationToken ct)
        {
            var plan = await engine.PlanAsync(moveOptions, ct).ConfigureAwait(false);
            var results = engine.MoveAsync(queue.ReadAllAsync(ct), plan, progress, ct);
            await foreach (var result in results.WithCancellation(ct).ConfigureAwait(false))
            {
                var output = new LicenseMoveResult(result, SourceSku, Target);
                Output.Object(output);
                if (!string.IsNullOrEmpty(result.Reason) && result.Reason != ErrorIds.DuplicateInput)
                {
                    var category = ReasonCategories.For(result.Reason);
                    Output.Error(ErrorRecords.Create(result.Reason!, category, $"{result.UserPrincipalName}: {result.Message}", output));
                }
            }
        }

        private static MoveResult Unreadable(PSObject? item, E4UpgradeException ex) => new MoveResult
        {
            UserId = item?.BaseObject is string text ? text : string.Empty,
            Status = MoveStatus.Failed,
            Reason = ex.ErrorId,
            Message = ex.Message,
        };

        private static MoveResult Declined(UserReference user) => new MoveResult
        {
            UserId = user.Key,
            UserPrincipalName = user.UserPrincipalName ?? user.Key,
            Status = MoveStatus.Skipped,
            Reason = ErrorIds.NotConfirmed,
            Message = "Not confirmed at the -Confirm prompt; nothing was changed.",
        };
    }
}
