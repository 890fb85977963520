using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Resilience;
using E4Upgrade.Engine.Tests.Licensing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Moves;

/// <summary>
/// The per-user state machine as a table: each case is a fresh run, a list of (user, event, expected command).
/// A Read or Write command is "sent" at once, as the scheduler would, so attempts count as in a run.
/// </summary>
public class UserMoveMachineTests
{
    private static readonly SkuInfo E4 = CatalogSkus.Get(CatalogSkus.E4);
    private const int MaxAttempts = 3;
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(2);

    internal sealed record Step(int User, UserEvent Event, string Expected)
    {
        public override string ToString() => $"u{User}: {Describe(Event)} -> {Expected}";
    }

    public sealed class Case
    {
        internal Case(string name, int seats, string? usageLocation, params Step[] steps)
        {
            Name = name;
            Seats = seats;
            UsageLocation = usageLocation;
            Steps = steps;
        }

        public string Name { get; }
        public int Seats { get; }
        public string? UsageLocation { get; }
        internal Step[] Steps { get; }
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new Case("a user read by key is written once and reported Moved", 10, null,
            new Step(1, UserEvent.ArrivedAsKey, "Read after 0 s"),
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a user that came already read goes straight to its write", 10, null,
            new Step(1, UserEvent.ArrivedWithLicenses(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a key that names nobody is reported at once, unread", 10, null,
            new Step(0, UserEvent.ArrivedAsKey, "Report Failed InvalidUserIdentity")),
        new Case("a user who holds only the target is AlreadyMoved, with no write", 10, null,
            new Step(1, Read(MovedUser(1)), "Report AlreadyMoved")),
        new Case("a throttled write waits its own Retry-After", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(429, retryAfter: 5), "Write after 5 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a write without an answer is re-read, and a re-read showing the move ends it: no second write", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(0), "Read after 2 s"),
            new Step(1, Read(MovedUser(1)), "Report Moved")),
        new Case("a write without an answer that did not land is sent again after the backoff", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(504), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Write after 0.5 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a 503's Retry-After is kept for the write after the re-read", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(503, retryAfter: 7), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Write after 7 s")),
        new Case("writes without an answer stop at the attempt limit, confirmed by a re-read", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(0), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Write after 0.5 s"),
            new Step(1, Written(0), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Write after 1 s"),
            new Step(1, Written(0), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Report Failed RetriesExhausted")),
        new Case("a throttled write stops at the attempt limit", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(429), "Write after 1 s"),
            new Step(1, Written(429), "Write after 1 s"),
            new Step(1, Written(429), "Report Failed RetriesExhausted")),
        new Case("a definite 400 fails the user with its error id, no retry", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(400, message: "License assignment failed because service plan x is mutually exclusive with y"), "Report Failed LicenseConflict")),
        new Case("a throttled read waits its Retry-After; reads stop at the attempt limit", 10, null,
            new Step(1, UserEvent.ArrivedAsKey, "Read after 0 s"),
            new Step(1, ReadFailed(429, retryAfter: 3), "Read after 3 s"),
            new Step(1, ReadFailed(503), "Read after 1 s"),
            new Step(1, ReadFailed(503), "Report Failed RetriesExhausted")),
        new Case("a read answered 401 stops the run", 10, null,
            new Step(1, UserEvent.ArrivedAsKey, "Read after 0 s"),
            new Step(1, ReadFailed(401), "StopRun TokenExpired")),
        new Case("a write answered 403 stops the run", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(403), "StopRun PermissionMissing")),
        new Case("once stopped, a user whose write is throttled is abandoned, a success still reported", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(2, Read(E4User(2)), "Write after 0 s"),
            new Step(3, Read(E4User(3)), "Write after 0 s"),
            new Step(1, Written(401), "StopRun TokenExpired"),
            new Step(2, Written(429), "Abandon"),
            new Step(3, Written(200), "Report Moved")),
        new Case("a missing user is reported once; the same missing key again is a duplicate", 10, null,
            new Step(1, UserEvent.ArrivedAsKey, "Read after 0 s"),
            new Step(1, NotFound(), "Report Failed UserNotFound"),
            new Step(101, UserEvent.ArrivedAsKey, "Read after 0 s"),
            new Step(101, NotFound(), "DropDuplicate")),
        new Case("the same user twice gets one result", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(2, Read(E4User(1)), "DropDuplicate")),
        new Case("cancel reports the user Cancelled", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, UserEvent.Cancel, "Report Failed Cancelled")),
        new Case("no free seat: the user fails before any write", 1, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(2, Read(E4User(2)), "Report Failed InsufficientLicenses")),
        new Case("a failed write gives its seat back to the next user", 1, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(400, message: "bad request"), "Report Failed GraphError"),
            new Step(2, Read(E4User(2)), "Write after 0 s")),
        new Case("Graph refusing a seat fails queued users who need one, not those who hold the target", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(2, Read(E4User(2)), "Write after 0 s"),
            new Step(3, Read(BothUser(3)), "Write after 0 s"),
            new Step(1, Written(400, message: "User does not have any available licenses"), "Report Failed InsufficientLicenses"),
            new Step(2, UserEvent.SeatsRefused, "Report Failed InsufficientLicenses"),
            new Step(3, UserEvent.SeatsRefused, "Keep"),
            new Step(4, Read(E4User(4)), "Report Failed InsufficientLicenses")),
        new Case("a missing usage location is set first, then the license", 10, "US",
            new Step(1, Read(E4User(1, usageLocation: null)), "Write after 0 s"),
            new Step(1, Written(204), "Write after 0 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a 200 whose answer shows the target held is Moved", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200, answer: MovedUser(1)), "Report Moved")),
        new Case("a 200 whose answer does not show the licenses is confirmed by a read after the lag, never by a second write", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200, bare: true), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Read after 2 s"),
            new Step(1, Read(MovedUser(1)), "Report Moved")),
        new Case("a 200 whose target lands in an error state is not Moved", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200, bare: true), "Read after 2 s"),
            new Step(1, Read(TargetInError(1, "MutuallyExclusiveViolation")), "Report Failed LicenseConflict")),
        new Case("a stale read that never catches up after a 200 ends at the read limit, still without a second write", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(200, bare: true), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Report Failed RetriesExhausted")),
        new Case("a re-sent swap answered 'no corresponding license' is read again after the lag and reported Moved", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(0), "Read after 2 s"),
            new Step(1, Read(E4User(1)), "Write after 0.5 s"),
            new Step(1, Written(400, message: "User does not have a corresponding license."), "Read after 2 s"),
            new Step(1, Read(MovedUser(1)), "Report Moved")),
        new Case("a 400 on the usage location right after our own PATCH is retried after the lag", 10, "US",
            new Step(1, Read(E4User(1, usageLocation: null)), "Write after 0 s"),
            new Step(1, Written(204), "Write after 0 s"),
            new Step(1, Written(400, message: "License assignment cannot be done for user with invalid usage location."), "Write after 2 s"),
            new Step(1, Written(200), "Report Moved")),
        new Case("a 400 on the usage location without a PATCH of ours fails at once", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, Written(400, message: "License assignment cannot be done for user with invalid usage location."), "Report Failed UsageLocationMissing")),
        new Case("a $batch that failed as a whole leaves the write's outcome unknown: re-read, not re-sent", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, UserEvent.WriteUnanswered(WriteKind.AssignLicense, new HttpRequestException("connection reset")), "Read after 2 s"),
            new Step(1, Read(MovedUser(1)), "Report Moved")),
        new Case("a $batch answer without the user's item leaves the write's outcome unknown", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, UserEvent.WriteUnanswered(WriteKind.AssignLicense, null), "Read after 2 s")),
        new Case("a $batch refused for the sign-in stops the run", 10, null,
            new Step(1, Read(E4User(1)), "Write after 0 s"),
            new Step(1, UserEvent.WriteUnanswered(WriteKind.AssignLicense, new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError, "the token expired")), "StopRun TokenExpired")),
        new Case("an unanswered usage-location PATCH is re-sent without a re-read", 10, "US",
            new Step(1, Read(E4User(1, usageLocation: null)), "Write after 0 s"),
            new Step(1, Written(0), "Write after 0.5 s")),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Next_gives_the_command_of_the_table(Case c)
    {
        var target = CatalogSkus.Get(CatalogSkus.M365E5, enabled: c.Seats);
        var plan = MovePlan.Create(new[] { E4, target }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5, UsageLocation = c.UsageLocation });
        var run = new Harness(plan);
        foreach (var step in c.Steps)
        {
            var command = run.Next(step.User, step.Event);
            Assert.True(step.Expected == command.ToString(), $"{step}: got {command}");
        }
    }

    [Fact]
    public void The_one_retry_after_a_dependency_400_applies_every_rule_learnt_so_far_in_the_run()
    {
        Guid Plan(string name) => CatalogSkus.PlanId(CatalogSkus.M365E5, name);
        var dependencies = new PlanDependencies();
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5 }, dependencies);
        var run = new Harness(plan);
        var licenses = E4User(1);
        licenses.AssignedLicenses = new[] { new AssignedSku(E4.SkuId, new[] { CatalogSkus.PlanId(CatalogSkus.E4, "SWAY"), CatalogSkus.PlanId(CatalogSkus.E4, "PROJECTWORKMANAGEMENT") }) };
        Assert.Equal("Write after 0 s", run.Next(1, Read(licenses)).ToString());

        // Another user's refusal taught "Loop needs Planner" while this user's write was in flight (rules made up here).
        dependencies.Learn(Plan("MICROSOFT_LOOP"), new[] { Plan("PROJECTWORKMANAGEMENT") });
        var refusal = $"License assignment failed because service plan {Plan("WHITEBOARD_PLAN3")} depends on the service plan(s) {Plan("SWAY")}";
        Assert.Equal("Write after 0 s", run.Next(1, UserEvent.Written(WriteKind.AssignLicense, new WriteOutcome { Status = 400, ErrorMessage = refusal })).ToString());

        var resent = run.User(1).Decision!.Mapping!.Adds.Single().DisabledPlans;
        Assert.Contains(Plan("WHITEBOARD_PLAN3"), resent);
        Assert.Contains(Plan("MICROSOFT_LOOP"), resent);
        var second = $"License assignment failed because service plan {Plan("MICROSOFT_SEARCH")} depends on the service plan(s) {Plan("SWAY")}";
        Assert.Equal("Report Failed PlanDependencyRejected", run.Next(1, UserEvent.Written(WriteKind.AssignLicense, new WriteOutcome { Status = 400, ErrorMessage = second })).ToString());
    }

    [Fact]
    public void A_seat_refusal_after_setting_the_usage_location_says_the_usage_location_changed()
    {
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5, UsageLocation = "US" });
        var run = new Harness(plan);
        Assert.Equal("Write after 0 s", run.Next(1, Read(E4User(1, usageLocation: null))).ToString());
        Assert.Equal(WriteKind.SetUsageLocation, run.LastWrite(1));
        Assert.Equal("Write after 0 s", run.Next(1, UserEvent.Written(WriteKind.SetUsageLocation, new WriteOutcome { Status = 204 })).ToString());
        Assert.Equal(WriteKind.AssignLicense, run.LastWrite(1));

        var refused = run.Next(1, UserEvent.Written(WriteKind.AssignLicense, new WriteOutcome
        {
            Status = 400,
            ErrorMessage = "License assignment failed because the subscription does not have any available licenses.",
        }));

        Assert.Equal("Report Failed InsufficientLicenses", refused.ToString());
        Assert.Contains("usage location was set to US", refused.Result!.Message);
        Assert.DoesNotContain("user was not changed", refused.Result.Message);
    }

    [Fact]
    public void Next_changes_neither_the_state_it_is_given_nor_the_seats_it_only_asks_for()
    {
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5, enabled: 1) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5 });
        var facts = new RunFacts(plan.Seats, plan.Decider);
        var machine = new UserMoveMachine(plan, MaxAttempts, new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), Lag, facts, new RunState());
        var user = new PendingUser(KeyOf(1), null);

        var step = machine.Next(user, Read(E4User(1)));

        Assert.Equal("Write after 0 s [UserTaken, TakeSeats 1]", step.ToString());
        Assert.Null(user.User);
        Assert.False(user.SeatReserved);
        Assert.Equal(PendingStage.Read, user.Stage);
        Assert.True(step.User.SeatReserved);
        Assert.Null(plan.Seats.FirstShort(new[] { CatalogSkus.Get(CatalogSkus.M365E5).SkuId })); // the seat is still free until the effect is made
        Assert.False(facts.Taken.Contains(MoveHarness.IdOf(1)));
    }

    [Fact]
    public void An_assignLicense_is_journaled_before_it_is_sent_and_counted_as_an_attempt()
    {
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5 });
        var facts = new RunFacts(plan.Seats, plan.Decider);
        var machine = new UserMoveMachine(plan, MaxAttempts, new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), Lag, facts, new RunState());
        var read = machine.Next(new PendingUser(KeyOf(1), null), Read(E4User(1)));

        var sending = machine.Next(read.User, UserEvent.WriteStarting("7"));

        Assert.Equal(UserCommandKind.Send, sending.Command.Kind);
        Assert.Equal(new[] { UserEffectKind.WriteSending }, sending.Effects.Select(e => e.Kind));
        Assert.Equal(MoveHarness.IdOf(1), sending.Effects[0].Key);
        Assert.Equal("7", sending.Request!.RequestId);
        Assert.Equal(WriteKind.AssignLicense, sending.Request.Kind);
        Assert.Equal(1, sending.User.AssignAttempts);
        Assert.Equal(0, read.User.AssignAttempts);
    }

    [Theory]
    [InlineData(429, "ResourceUnitLimitExceeded", true)]
    [InlineData(429, "CPULimitExceeded", true)]
    [InlineData(429, "WriteLimitExceeded", false)]
    [InlineData(429, null, false)]
    [InlineData(503, "ResourceUnitLimitExceeded", false)]
    public void A_read_refused_by_a_limit_pauses_every_read_until_its_Retry_After(int status, string? limit, bool pauses)
    {
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5 });
        var facts = new RunFacts(plan.Seats, plan.Decider);
        var machine = new UserMoveMachine(plan, MaxAttempts, new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), Lag, facts, new RunState());
        var user = machine.Next(new PendingUser(KeyOf(1), null) { Stage = PendingStage.Read }, UserEvent.ReadStarting(new HashSet<string>())).User;
        var failure = new WriteOutcome { Status = status, RetryAfter = TimeSpan.FromSeconds(4), ThrottleInformation = limit };

        var step = machine.Next(user, UserEvent.Read(new UserLookup { Key = user.Key, Failure = failure }));

        var pause = step.Effects.Where(e => e.Kind == UserEffectKind.PauseReads).ToList();
        Assert.Equal(pauses ? 1 : 0, pause.Count);
        if (pauses)
        {
            Assert.Equal(TimeSpan.FromSeconds(4), pause[0].Delay);
        }
    }

    [Fact]
    public void Filling_a_read_the_same_key_again_is_a_duplicate_row_and_a_re_read_under_that_key_waits_for_the_next_read()
    {
        var plan = MovePlan.Create(new[] { E4, CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = CatalogSkus.M365E5 });
        var machine = new UserMoveMachine(plan, MaxAttempts, new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), Lag, new RunFacts(plan.Seats, plan.Decider), new RunState());
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { KeyOf(1).ToUpperInvariant() };

        Assert.Equal(UserCommandKind.DropDuplicate, machine.Next(new PendingUser(KeyOf(1), null) { Stage = PendingStage.Read }, UserEvent.ReadStarting(keys)).Command.Kind);
        Assert.Equal(UserCommandKind.Keep, machine.Next(new PendingUser(KeyOf(1), null) { Stage = PendingStage.Verify }, UserEvent.ReadStarting(keys)).Command.Kind);
        var other = machine.Next(new PendingUser(KeyOf(2), null) { Stage = PendingStage.Read }, UserEvent.ReadStarting(keys));
        Assert.Equal(UserCommandKind.Send, other.Command.Kind);
        Assert.Equal(1, other.User.ReadAttempts);
    }

    /// <summary>Drives one machine as the scheduler would: effects made at once, reads and writes "sent" at once, so attempts count as in a run.</summary>
    private sealed class Harness
    {
        private readonly RunState _run = new();
        private readonly RunFacts _facts;
        private readonly UserMoveMachine _machine;
        private readonly Dictionary<int, PendingUser> _users = new();
        private readonly Dictionary<int, WriteKind> _lastWrite = new();

        public Harness(MovePlan plan)
        {
            _facts = new RunFacts(plan.Seats, plan.Decider);
            _machine = new UserMoveMachine(plan, MaxAttempts, new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), Lag, _facts, _run);
        }

        public PendingUser User(int n) => _users[n];

        public WriteKind LastWrite(int n) => _lastWrite[n];

        /// <summary>The command the user's event leads to (after a DecideAgain, the one that follows it).</summary>
        public UserCommand Next(int n, UserEvent given)
        {
            if (!_users.TryGetValue(n, out var user))
            {
                user = new PendingUser(KeyOf(n), null);
            }

            // A write's answer is for the write last sent to the user (usage location or license).
            var e = given.Kind == UserEventKind.WriteAnswered ? AnswerTo(n, _lastWrite[n], given.WriteOutcome!) : given;
            var step = Make(_machine.Next(user, e));
            while (step.Command.Kind == UserCommandKind.DecideAgain)
            {
                step = Make(_machine.Next(step.User, UserEvent.DependencyLearnt));
            }

            user = step.User;
            switch (step.Command.Kind)
            {
                case UserCommandKind.Read:
                    user = Make(_machine.Next(user, UserEvent.ReadStarting(new HashSet<string>()))).User;
                    break;
                case UserCommandKind.Write:
                    var sending = Make(_machine.Next(user, UserEvent.WriteStarting("1")));
                    user = sending.User;
                    _lastWrite[n] = sending.Request!.Kind;
                    break;
                case UserCommandKind.StopRun:
                    _run.Stop(step.Command.StopError!);
                    break;
            }

            _users[n] = user;
            return step.Command;
        }

        private UserStep Make(UserStep step)
        {
            foreach (var effect in step.Effects)
            {
                _facts.Apply(effect);
            }

            return step;
        }
    }

    /// <summary>User 0 is named by a key that is no user; user 101 by the same key as user 1.</summary>
    private static string KeyOf(int user) => user == 0 ? "not a user" : MoveHarness.UpnOf(user % 100);

    private static UserLicenses E4User(int n, string? usageLocation = "DE") => new()
    {
        Id = MoveHarness.IdOf(n),
        UserPrincipalName = MoveHarness.UpnOf(n),
        UsageLocation = usageLocation,
        AssignedLicenses = new[] { new AssignedSku(E4.SkuId) },
    };

    private static UserLicenses MovedUser(int n) => new()
    {
        Id = MoveHarness.IdOf(n),
        UserPrincipalName = MoveHarness.UpnOf(n),
        UsageLocation = "DE",
        AssignedLicenses = new[] { new AssignedSku(CatalogSkus.Get(CatalogSkus.M365E5).SkuId) },
    };

    private static UserLicenses TargetInError(int n, string error) => new()
    {
        Id = MoveHarness.IdOf(n),
        UserPrincipalName = MoveHarness.UpnOf(n),
        UsageLocation = "DE",
        AssignedLicenses = Array.Empty<AssignedSku>(),
        AssignmentStates = new[] { new LicenseAssignment { SkuId = CatalogSkus.Get(CatalogSkus.M365E5).SkuId, State = "Error", Error = error } },
    };

    private static UserLicenses BothUser(int n) => new()
    {
        Id = MoveHarness.IdOf(n),
        UserPrincipalName = MoveHarness.UpnOf(n),
        UsageLocation = "DE",
        AssignedLicenses = new[] { new AssignedSku(E4.SkuId), new AssignedSku(CatalogSkus.Get(CatalogSkus.M365E5).SkuId) },
    };

    private static UserEvent Read(UserLicenses user) => UserEvent.Read(new UserLookup { Key = user.UserPrincipalName, User = user });

    private static UserEvent NotFound() => UserEvent.Read(new UserLookup { Key = "x", NotFound = true });

    private static UserEvent ReadFailed(int status, double? retryAfter = null) =>
        UserEvent.Read(new UserLookup { Key = "x", Failure = new WriteOutcome { Status = status, RetryAfter = Seconds(retryAfter) } });

    private const string Bare = "test: an answer without licenses";

    /// <summary>A write's answer. A 2xx to an assignLicense carries the user as moved unless <paramref name="bare"/>.</summary>
    private static UserEvent Written(int status, double? retryAfter = null, string? message = null, UserLicenses? answer = null, bool bare = false) =>
        UserEvent.Written(WriteKind.AssignLicense, new WriteOutcome { Status = status, RetryAfter = Seconds(retryAfter), ErrorMessage = message, User = answer, ErrorCode = bare ? Bare : null });

    /// <summary>The answer as the scheduler would pass it: for the write last sent, with the user as Graph returns it.</summary>
    private static UserEvent AnswerTo(int user, WriteKind kind, WriteOutcome given)
    {
        var outcome = new WriteOutcome { Status = given.Status, RetryAfter = given.RetryAfter, ErrorMessage = given.ErrorMessage, User = given.User };
        if (kind == WriteKind.AssignLicense && outcome.Succeeded && outcome.User == null && given.ErrorCode != Bare)
        {
            outcome.User = MovedUser(user % 100);
        }

        return UserEvent.Written(kind, outcome);
    }

    private static TimeSpan? Seconds(double? seconds) => seconds.HasValue ? TimeSpan.FromSeconds(seconds.Value) : null;

    private static string Describe(UserEvent e) => e.Kind switch
    {
        UserEventKind.WriteAnswered => $"write answered {e.WriteOutcome!.Status}",
        UserEventKind.ReadAnswered => e.User != null ? "read " + e.User.UserPrincipalName : e.NotFound ? "read: not found" : $"read failed {e.ReadFailure?.Status}",
        _ => e.Kind.ToString(),
    };
}
