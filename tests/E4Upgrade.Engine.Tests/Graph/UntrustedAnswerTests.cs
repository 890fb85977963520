using System.Net;
using System.Text;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

/// <summary>Answers that cannot be Graph's, through the real SDK pipeline against a scripted endpoint: refused with an error id, never believed.</summary>
public class UntrustedAnswerTests
{
    private static readonly Guid E4 = Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711");

    private static HttpResponseMessage Redirect(string location)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location = new Uri(location);
        return response;
    }

    private static HttpResponseMessage Body(string text, string contentType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return response;
    }

    private static async Task<List<UserLicenses>> ListUsers(GraphLicensingGateway gateway)
    {
        var users = new List<UserLicenses>();
        await foreach (var user in gateway.ListUsersWithSkuAsync(E4, CancellationToken.None))
        {
            users.Add(user);
        }

        return users;
    }

    [Fact]
    public async Task A_redirect_of_subscribed_skus_is_refused_and_not_followed()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(Redirect("https://elsewhere.example/v1.0/subscribedSkus")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.GetSubscribedSkusAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.GraphRedirectRefused, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.SecurityError, error.Category);
        Assert.Equal(307, error.HttpStatus);
        Assert.Contains("elsewhere.example", error.Message);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_redirect_of_a_write_batch_stops_with_an_error_and_the_body_goes_nowhere_else()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(Redirect("https://elsewhere.example/v1.0/$batch")));
        var gateway = TestGateways.Create(transport);
        var write = new WriteRequest
        {
            RequestId = "w1",
            UserId = "u1",
            Kind = WriteKind.AssignLicense,
            Change = new LicenseChange(new[] { new AssignedSku(Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06")) }, new[] { E4 }),
        };

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.SendWritesAsync(new[] { write }, CancellationToken.None));

        Assert.Equal(ErrorIds.GraphRedirectRefused, error.ErrorId);
        Assert.All(transport.Requests, request => Assert.Equal("graph.test", request.Uri.Host));
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_redirect_of_a_user_read_batch_is_refused()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(Redirect("https://elsewhere.example/v1.0/$batch")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.GetUsersAsync(new[] { "a@contoso.com" }, CancellationToken.None));

        Assert.Equal(ErrorIds.GraphRedirectRefused, error.ErrorId);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_next_link_on_the_same_origin_outside_the_service_root_is_refused_and_never_requested()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"value":[{"id":"u1"}],"@odata.nextLink":"https://graph.test/_simulator/reset"}""")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => ListUsers(gateway));

        Assert.Equal(ErrorIds.NextLinkRefused, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.SecurityError, error.Category);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_next_link_that_climbs_out_of_the_service_root_with_dot_segments_is_refused()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"value":[{"id":"u1"}],"@odata.nextLink":"https://graph.test/v1.0/../_simulator/reset"}""")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => ListUsers(gateway));

        Assert.Equal(ErrorIds.NextLinkRefused, error.ErrorId);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_next_link_seen_before_ends_paging_with_an_error()
    {
        const string loop = "https://graph.test/v1.0/users?$skiptoken=again";
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"value":[{"id":"u{{attempt}}"}],"@odata.nextLink":"{{loop}}"}""")));
        var gateway = TestGateways.Create(transport);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => ListUsers(gateway));

        Assert.Equal(ErrorIds.NextLinkRefused, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidResult, error.Category);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Paging_stops_at_the_page_cap()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"value":[{"id":"u{{attempt}}"}],"@odata.nextLink":"https://graph.test/v1.0/users?$skiptoken=p{{attempt}}"}""")));
        var options = TestGateways.FastRetries();
        options.MaxPages = 3;
        var gateway = TestGateways.Create(transport, options);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => ListUsers(gateway));

        Assert.Equal(ErrorIds.TooManyPages, error.ErrorId);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Theory]
    [InlineData("", "application/json")]
    [InlineData("{}", "application/json")]
    [InlineData("<html>portal</html>", "text/html")]
    [InlineData("{\"value\":[", "application/json")]
    public async Task A_success_that_is_not_a_collection_is_an_error_for_users_groups_and_skus(string body, string contentType)
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(Body(body, contentType)));
        var gateway = TestGateways.Create(transport);

        var users = await Assert.ThrowsAsync<E4UpgradeException>(() => ListUsers(gateway));
        var skus = await Assert.ThrowsAsync<E4UpgradeException>(() => gateway.GetSubscribedSkusAsync(CancellationToken.None));
        var groups = await Assert.ThrowsAsync<E4UpgradeException>(async () =>
        {
            await foreach (var _ in gateway.ListGroupsWithSkuAsync(E4, CancellationToken.None))
            {
            }
        });

        Assert.All(new[] { users, skus, groups }, error => Assert.Equal(ErrorIds.GraphAnswerUnreadable, error.ErrorId));
        Assert.All(new[] { users, skus, groups }, error => Assert.Equal(ErrorCategoryNames.InvalidResult, error.Category));
    }

    [Fact]
    public async Task An_empty_collection_is_still_an_empty_list()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK, """{"value":[]}""")));
        var gateway = TestGateways.Create(transport);

        Assert.Empty(await gateway.GetSubscribedSkusAsync(CancellationToken.None));
        Assert.Empty(await ListUsers(gateway));
    }
}

/// <summary>A user object in an answer counts only for the user the request named.</summary>
public class AnsweredUserTests
{
    private const string Asked = "11111111-1111-1111-1111-111111111111";
    private const string Other = "22222222-2222-2222-2222-222222222222";
    private const string E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";

    private static string UserJson(string id, string upn) =>
        $$"""{"id":"{{id}}","userPrincipalName":"{{upn}}","assignedLicenses":[{"skuId":"{{E5}}","disabledPlans":[]}]}""";

    [Fact]
    public async Task A_write_answered_with_another_user_is_not_a_confirmation()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"responses":[{"id":"w1","status":200,"body":{{UserJson(Other, "other@contoso.com")}}}]}""")));
        var gateway = TestGateways.Create(transport);
        var write = new WriteRequest
        {
            RequestId = "w1",
            UserId = Asked,
            Kind = WriteKind.AssignLicense,
            Change = new LicenseChange(new[] { new AssignedSku(Guid.Parse(E5)) }, new[] { Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711") }),
        };

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { write }, CancellationToken.None));

        Assert.Equal(200, outcome.Status);
        Assert.Null(outcome.User);
    }

    [Fact]
    public async Task A_write_answered_with_the_user_asked_for_carries_it()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"responses":[{"id":"w1","status":200,"body":{{UserJson(Asked.ToUpperInvariant(), "a@contoso.com")}}}]}""")));
        var gateway = TestGateways.Create(transport);
        var write = new WriteRequest
        {
            RequestId = "w1",
            UserId = Asked,
            Kind = WriteKind.AssignLicense,
            Change = new LicenseChange(new[] { new AssignedSku(Guid.Parse(E5)) }, new[] { Guid.Parse("1392051d-0cb9-4b7a-88d5-621fee5e8711") }),
        };

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { write }, CancellationToken.None));

        Assert.NotNull(outcome.User);
    }

    [Theory]
    [InlineData(Asked)]
    [InlineData("a@contoso.com")]
    public async Task A_read_answered_with_another_user_is_a_failed_read_not_that_user(string key)
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"responses":[{"id":"1","status":200,"body":{{UserJson(Other, "other@contoso.com")}}}]}""")));
        var gateway = TestGateways.Create(transport);

        var lookup = Assert.Single(await gateway.GetUsersAsync(new[] { key }, CancellationToken.None));

        Assert.Null(lookup.User);
        Assert.NotNull(lookup.Failure);
        Assert.Equal(0, lookup.Failure!.Status);
        Assert.Contains("another user", lookup.Failure.ErrorMessage);
    }

    [Fact]
    public async Task A_read_by_upn_in_another_case_is_that_user()
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            $$"""{"responses":[{"id":"1","status":200,"body":{{UserJson(Asked, "Adele@Contoso.com")}}}]}""")));
        var gateway = TestGateways.Create(transport);

        var lookup = Assert.Single(await gateway.GetUsersAsync(new[] { "adele@contoso.com" }, CancellationToken.None));

        Assert.Equal(Asked, lookup.User!.Id);
    }
}

/// <summary>A 401 inside a $batch is worded once, by the gateway's translator, for the session's sign-in.</summary>
public class SignInRefusalWordingTests
{
    [Theory]
    [InlineData(E4Upgrade.Engine.Connection.GraphAuthMethod.CertificateThumbprint, "AuthenticationFailed")]
    [InlineData(E4Upgrade.Engine.Connection.GraphAuthMethod.AccessToken, "TokenExpired")]
    public async Task A_401_item_stops_the_run_with_the_error_for_the_sessions_sign_in(E4Upgrade.Engine.Connection.GraphAuthMethod method, string errorId)
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"responses":[{"id":"w1","status":401,"body":{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired."}}}]}""")));
        var gateway = TestGateways.Create(transport, authMethod: method);
        var write = new WriteRequest { RequestId = "w1", UserId = "11111111-1111-1111-1111-111111111111", Kind = WriteKind.SetUsageLocation, UsageLocation = "US" };

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { write }, CancellationToken.None));
        var stop = E4Upgrade.Engine.Moves.StopErrors.For(E4Upgrade.Engine.Moves.OutcomeKind.TokenExpired, outcome);

        Assert.Equal(401, outcome.Status);
        Assert.Equal(errorId, stop.ErrorId);
        Assert.Equal(ErrorCategoryNames.AuthenticationError, stop.Category);
    }

    [Theory]
    [InlineData(WriteKind.SetUsageLocation)]
    [InlineData(WriteKind.AssignLicense)]
    public async Task A_403_item_is_worded_once_by_the_gateway_naming_what_its_own_request_needed(WriteKind kind)
    {
        var transport = new ScriptedTransport((request, attempt, _) => Task.FromResult(ScriptedTransport.Json(HttpStatusCode.OK,
            """{"responses":[{"id":"w1","status":403,"body":{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}}]}""")));
        var gateway = TestGateways.Create(transport, authMethod: E4Upgrade.Engine.Connection.GraphAuthMethod.CertificateThumbprint);
        var write = kind == WriteKind.SetUsageLocation
            ? new WriteRequest { RequestId = "w1", UserId = "11111111-1111-1111-1111-111111111111", Kind = kind, UsageLocation = "US" }
            : new WriteRequest { RequestId = "w1", UserId = "11111111-1111-1111-1111-111111111111", Kind = kind, Change = new LicenseChange(Array.Empty<AssignedSku>(), new[] { Guid.NewGuid() }) };

        var outcome = Assert.Single(await gateway.SendWritesAsync(new[] { write }, CancellationToken.None));
        var stop = E4Upgrade.Engine.Moves.StopErrors.For(E4Upgrade.Engine.Moves.OutcomeKind.AccessDenied, outcome);

        var needed = kind == WriteKind.SetUsageLocation ? E4Upgrade.Engine.Connection.GraphPermissions.SetUsageLocation : E4Upgrade.Engine.Connection.GraphPermissions.AssignUserLicenses;
        Assert.Same(outcome.SignInRefusal, stop);
        Assert.Equal("PermissionMissing", stop.ErrorId);
        Assert.Equal(403, stop.HttpStatus);
        Assert.Contains(needed.Describe(), stop.Message);
    }
}
