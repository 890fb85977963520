using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.GraphSimulator;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

/// <summary>End to end: GraphConnector + GraphLicensingGateway + the real Graph SDK against the simulator over loopback HTTP.</summary>
public class GatewaySimulatorTests
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");
    private static readonly Guid SpeE5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    private const string Domain = "@contoso.onmicrosoft.com";

    [Fact]
    public async Task Connects_and_describes_the_session_without_secrets()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-session-token", "--users", "20");
        var session = connection.Session;

        Assert.Equal(GraphAuthMethod.AccessToken, session.AuthMethod);
        Assert.Equal(connection.Simulator.GraphBaseUrl.AbsoluteUri.TrimEnd('/'), session.GraphEndpoint.AbsoluteUri.TrimEnd('/'));
        Assert.True(DateTimeOffset.UtcNow - session.ConnectedAt < TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(connection.Token, session.ToString());
        Assert.Contains(connection.Log, line => line.StartsWith("Connected to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_skus_and_subscriptions()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-sku-token", "--users", "25", "--target-seats", "7");

        var skus = await connection.Gateway.GetSubscribedSkusAsync(CancellationToken.None);
        var subscriptions = await connection.Gateway.GetSubscriptionsAsync(CancellationToken.None);

        var e4 = Assert.Single(skus, sku => sku.SkuId == E4);
        Assert.Equal("ENTERPRISEWITHSCAL", e4.SkuPartNumber);
        Assert.Equal(25, e4.EnabledUnits);
        Assert.NotEmpty(e4.ServicePlans);
        var e5 = Assert.Single(skus, sku => sku.SkuId == SpeE5);
        Assert.Equal(7, e5.AvailableUnits);
        var e4Subscription = Assert.Single(subscriptions, s => s.SkuId == E4);
        Assert.Equal(25, e4Subscription.TotalLicenses);
        Assert.Contains(e4Subscription.CommerceSubscriptionId, e4.SubscriptionIds);
    }

    [Fact]
    public async Task Streams_every_holder_page_by_page()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-paging-token", "--users", "2500");
        var before = (await connection.Simulator.GetStatsAsync()).Requests;

        var ids = new HashSet<string>();
        UserLicenses? inherited = null;
        await foreach (var user in connection.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            Assert.True(ids.Add(user.Id), "user listed twice: " + user.Id);
            if (user.UserPrincipalName == "user00011" + Domain)
            {
                inherited = user;
            }
        }

        Assert.Equal(2500, ids.Count);
        Assert.Equal(3, (await connection.Simulator.GetStatsAsync()).Requests - before);
        Assert.NotNull(inherited);
        Assert.Contains(inherited!.AssignmentStates, state => state.SkuId == E4 && !state.IsDirect);
    }

    [Fact]
    public async Task Reads_survive_injected_faults()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-faulty-reads", "--users", "1200", "--time-scale", "100");
        using var verbose = connection.AttachLog();
        await connection.Simulator.SetFaultRateAsync(0.3);

        var count = 0;
        await foreach (var _ in connection.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            count++;
        }

        var skus = await connection.Gateway.GetSubscribedSkusAsync(CancellationToken.None);
        Assert.Equal(1200, count);
        Assert.NotEmpty(skus);
        Assert.True((await connection.Simulator.GetStatsAsync()).Faults > 0);
        Assert.Contains(connection.Log, line => line.Contains("retry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gets_users_by_id_and_by_upn_including_apostrophe_and_non_ascii()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-lookup-token", "--users", "30");
        var first = (await connection.Gateway.GetUsersAsync(new[] { "user00001" + Domain }, CancellationToken.None)).Single().User!;

        var keys = new[] { "o'brien.user00002" + Domain, "zoë.müller00005" + Domain, first.Id, "nobody" + Domain, "o'brien.user00002" + Domain };
        var lookups = await connection.Gateway.GetUsersAsync(keys, CancellationToken.None);

        Assert.Equal(keys, lookups.Select(l => l.Key));
        Assert.Equal("o'brien.user00002" + Domain, lookups[0].User!.UserPrincipalName);
        Assert.Equal("zoë.müller00005" + Domain, lookups[1].User!.UserPrincipalName);
        Assert.Equal(first.Id, lookups[2].User!.Id);
        Assert.True(lookups[3].NotFound);
        Assert.Null(lookups[3].User);
        Assert.Equal(lookups[0].User!.Id, lookups[4].User!.Id);
        Assert.Contains(lookups[0].User!.AssignedLicenses, license => license.SkuId == E4);
        Assert.All(lookups.Where(l => !l.NotFound), l => Assert.Null(l.Failure));
    }

    [Fact]
    public async Task Writes_report_success_and_each_graph_error_per_item()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-writes-token", "--users", "120", "--target-seats", "1");
        var gateway = connection.Gateway;
        var users = await ResolveAsync(gateway, "user00001", "user00004", "user00007", "user00011", "user00107");
        var writes = new[]
        {
            Swap("ok", users["user00001"].Id),
            Swap("noLocation", users["user00007"].Id),
            Swap("inherited", users["user00011"].Id),
            new WriteRequest { RequestId = "unknownSku", UserId = users["user00004"].Id, Kind = WriteKind.AssignLicense, Change = new LicenseChange(new[] { new AssignedSku(Guid.NewGuid()) }, Array.Empty<Guid>()) },
            Swap("missing", Guid.NewGuid().ToString()),
            new WriteRequest { RequestId = "patch", UserId = users["user00107"].Id, Kind = WriteKind.SetUsageLocation, UsageLocation = "NL" },
        };

        var outcomes = (await gateway.SendWritesAsync(writes, CancellationToken.None)).ToDictionary(o => o.RequestId);

        Assert.Equal(writes.Select(w => w.RequestId).OrderBy(x => x), outcomes.Keys.OrderBy(x => x));
        var ok = outcomes["ok"];
        Assert.Equal(200, ok.Status);
        Assert.Contains(ok.User!.AssignedLicenses, l => l.SkuId == SpeE5);
        Assert.DoesNotContain(ok.User.AssignedLicenses, l => l.SkuId == E4);
        AssertError(outcomes["noLocation"], 400, "Request_BadRequest", "invalid usage location");
        AssertError(outcomes["inherited"], 400, "Request_BadRequest", "inherited from a group");
        AssertError(outcomes["unknownSku"], 400, "Request_BadRequest", "does not correspond to a valid company License");
        AssertError(outcomes["missing"], 404, "Request_ResourceNotFound", "does not exist");
        Assert.Equal(204, outcomes["patch"].Status);
        Assert.True(outcomes["patch"].Succeeded);

        var noSeat = Assert.Single(await gateway.SendWritesAsync(new[] { Swap("noSeat", users["user00004"].Id) }, CancellationToken.None));
        AssertError(noSeat, 400, "Request_BadRequest", "does not have any available licenses");

        var patched = (await gateway.GetUsersAsync(new[] { users["user00107"].Id }, CancellationToken.None)).Single().User!;
        Assert.Equal("NL", patched.UsageLocation);
        Assert.Equal(1, await connection.Simulator.GetLicenseWritesAsync(users["user00001"].Id));
    }

    [Fact]
    public async Task Throttled_items_inside_a_200_batch_carry_retry_after_and_throttle_percentage()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-throttle-token", "--users", "30", "--write-limit", "5/60");
        using var verbose = connection.AttachLog();
        var ids = new List<string>();
        await foreach (var user in connection.Gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            ids.Add(user.Id);
        }

        var writes = ids.Take(20).Select((id, i) => new WriteRequest { RequestId = "w" + i, UserId = id, Kind = WriteKind.SetUsageLocation, UsageLocation = "DE" }).ToArray();
        var outcomes = await connection.Gateway.SendWritesAsync(writes, CancellationToken.None);

        Assert.Equal(20, outcomes.Count);
        Assert.Equal(5, outcomes.Count(o => o.Status == 204));
        var throttled = outcomes.Where(o => o.Status == 429).ToList();
        Assert.Equal(15, throttled.Count);
        Assert.All(throttled, o =>
        {
            Assert.Equal("TooManyRequests", o.ErrorCode);
            Assert.NotNull(o.RetryAfter);
            Assert.True(o.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {o.RetryAfter}");
            Assert.NotNull(o.ThrottleLimitPercentage);
        });
        Assert.Contains(connection.Log, line => line.Contains("15 throttled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_whole_request_fault_becomes_one_outcome_per_item()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-fault-token", "--users", "30", "--seed", "7");
        var user = (await connection.Gateway.GetUsersAsync(new[] { "user00001" + Domain }, CancellationToken.None)).Single().User!;
        await connection.Simulator.SetFaultRateAsync(1.0);

        var statuses = new HashSet<int>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var writes = new[]
            {
                new WriteRequest { RequestId = "a", UserId = user.Id, Kind = WriteKind.SetUsageLocation, UsageLocation = "US" },
                new WriteRequest { RequestId = "b", UserId = user.Id, Kind = WriteKind.SetUsageLocation, UsageLocation = "US" },
            };
            var outcomes = await connection.Gateway.SendWritesAsync(writes, CancellationToken.None);

            Assert.Equal(new[] { "a", "b" }, outcomes.Select(o => o.RequestId));
            Assert.Single(outcomes.Select(o => o.Status).Distinct());
            Assert.All(outcomes, o => Assert.False(o.Succeeded));
            statuses.Add(outcomes[0].Status);
            if (outcomes[0].Status == 503)
            {
                Assert.NotNull(outcomes[0].RetryAfter);
            }
        }

        Assert.Subset(new HashSet<int> { 0, 500, 503, 504 }, statuses);
        Assert.Contains(0, statuses);
        Assert.True(statuses.Count >= 3, "statuses seen: " + string.Join(",", statuses));
    }

    [Fact]
    public async Task Groups_their_members_and_group_assignment()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-group-token", "--users", "200", "--group-delay-ms", "0");
        var gateway = connection.Gateway;

        var groups = new List<GroupLicenses>();
        await foreach (var group in gateway.ListGroupsWithSkuAsync(E4, CancellationToken.None))
        {
            groups.Add(group);
        }

        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Contains(g.AssignedLicenses, l => l.SkuId == E4));
        Assert.All(groups, g => Assert.Equal("ProcessingComplete", g.LicenseProcessingState));
        var target = groups[0];

        var members = new List<UserLicenses>();
        await foreach (var member in gateway.ListGroupMembersAsync(target.Id, CancellationToken.None))
        {
            members.Add(member);
        }

        Assert.NotEmpty(members);
        Assert.All(members, m => Assert.Contains(m.AssignmentStates, s => s.SkuId == E4 && s.AssignedByGroup == target.Id));

        Assert.Equal(target.DisplayName, (await gateway.GetGroupAsync(target.Id, CancellationToken.None))!.DisplayName);
        Assert.Null(await gateway.GetGroupAsync(Guid.NewGuid().ToString(), CancellationToken.None));

        var outcome = await gateway.AssignGroupLicenseAsync(target.Id, new LicenseChange(new[] { new AssignedSku(SpeE5) }, new[] { E4 }), CancellationToken.None);
        Assert.Equal(202, outcome.Status);
        Assert.True(outcome.Succeeded);
        var after = await gateway.GetGroupAsync(target.Id, CancellationToken.None);
        Assert.Contains(after!.AssignedLicenses, l => l.SkuId == SpeE5);
        Assert.DoesNotContain(after.AssignedLicenses, l => l.SkuId == E4);
    }

    [Fact]
    public async Task An_unknown_access_token_fails_to_connect_with_token_expired()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "10", "--token", "the-right-token");
        var log = new List<string>();

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => SimulatorConnection.ConnectAsync(simulator, "a-wrong-token-value", log));

        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.AuthenticationError, error.Category);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal("InvalidAuthenticationToken", error.GraphErrorCode);
        Assert.DoesNotContain("a-wrong-token-value", error.ToString());
        Assert.DoesNotContain(log, line => line.Contains("a-wrong-token-value"));
    }

    [Fact]
    public async Task A_revoked_token_stops_reads_and_writes_with_token_expired()
    {
        await using var connection = await SimulatorConnection.StartAsync("e2e-revoked-token", "--users", "10");
        var user = (await connection.Gateway.GetUsersAsync(new[] { "user00001" + Domain }, CancellationToken.None)).Single().User!;
        await connection.Simulator.RevokeTokenAsync(connection.Token);

        var read = await Assert.ThrowsAsync<E4UpgradeException>(() => connection.Gateway.GetSubscribedSkusAsync(CancellationToken.None));
        var write = await Assert.ThrowsAsync<E4UpgradeException>(() => connection.Gateway.SendWritesAsync(new[] { Swap("w", user.Id) }, CancellationToken.None));
        var lookup = await Assert.ThrowsAsync<E4UpgradeException>(() => connection.Gateway.GetUsersAsync(new[] { user.Id }, CancellationToken.None));

        Assert.All(new[] { read, write, lookup }, error =>
        {
            Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
            Assert.Equal(ErrorCategoryNames.AuthenticationError, error.Category);
            Assert.DoesNotContain(connection.Token, error.ToString());
        });
        Assert.Contains("expired", read.Message);
    }

    [Fact]
    public async Task A_read_only_token_reads_but_its_writes_are_denied()
    {
        await using var simulator = await SimulatorHost.StartAsync("--users", "20", "--read-token", "e2e-read-only");
        var log = new List<string>();
        using var session = await SimulatorConnection.ConnectAsync(simulator, "e2e-read-only", log);
        var user = (await session.Gateway.GetUsersAsync(new[] { "user00001" + Domain }, CancellationToken.None)).Single().User!;

        var outcome = Assert.Single(await session.Gateway.SendWritesAsync(new[] { Swap("w", user.Id) }, CancellationToken.None));
        AssertError(outcome, 403, "Authorization_RequestDenied", "Insufficient privileges");

        GroupLicenses? group = null;
        await foreach (var g in session.Gateway.ListGroupsWithSkuAsync(E4, CancellationToken.None))
        {
            group ??= g;
        }

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() =>
            session.Gateway.AssignGroupLicenseAsync(group!.Id, new LicenseChange(new[] { new AssignedSku(SpeE5) }, new[] { E4 }), CancellationToken.None));
        Assert.Equal(ErrorIds.PermissionMissing, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.PermissionDenied, error.Category);
        Assert.Equal(403, error.HttpStatus);
    }

    [Fact]
    public async Task Plain_http_to_a_non_loopback_host_is_refused_before_any_request()
    {
        var options = new ConnectionOptions
        {
            AuthMethod = GraphAuthMethod.AccessToken,
            AccessToken = TestGateways.Secure("never-sent"),
            GraphEndpoint = new Uri("http://graph.example.com/v1.0"),
        };

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => GraphConnector.ConnectAsync(options, null, CancellationToken.None));

        Assert.Equal(ErrorIds.InvalidGraphEndpoint, error.ErrorId);
    }

    private static async Task<Dictionary<string, UserLicenses>> ResolveAsync(ILicensingGateway gateway, params string[] names)
    {
        var lookups = await gateway.GetUsersAsync(names.Select(n => n + Domain).ToArray(), CancellationToken.None);
        return lookups.ToDictionary(l => l.Key.Replace(Domain, ""), l => l.User ?? throw new InvalidOperationException("missing " + l.Key));
    }

    private static WriteRequest Swap(string requestId, string userId) => new()
    {
        RequestId = requestId,
        UserId = userId,
        Kind = WriteKind.AssignLicense,
        Change = new LicenseChange(new[] { new AssignedSku(SpeE5) }, new[] { E4 }),
    };

    private static void AssertError(WriteOutcome outcome, int status, string code, string messagePart)
    {
        Assert.Equal(status, outcome.Status);
        Assert.Equal(code, outcome.ErrorCode);
        Assert.Contains(messagePart, outcome.ErrorMessage);
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.User);
    }
}
