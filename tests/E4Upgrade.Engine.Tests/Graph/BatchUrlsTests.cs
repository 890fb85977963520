using E4Upgrade.Engine.Graph;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

public class BatchUrlsTests
{
    private static readonly Uri Root = new("http://127.0.0.1:5000/v1.0");

    [Theory]
    [InlineData("o'brien@contoso.com", "/users/o%27brien%40contoso.com")]
    [InlineData("zoë.müller@contoso.com", "/users/zo%C3%AB.m%C3%BCller%40contoso.com")]
    [InlineData("guest_x.com#EXT#@contoso.onmicrosoft.com", "/users/guest_x.com%23EXT%23%40contoso.onmicrosoft.com")]
    [InlineData("50%off@contoso.com", "/users/50%25off%40contoso.com")]
    public async Task User_keys_stay_escaped_inside_the_batch(string key, string expectedPath)
    {
        using var client = new GraphServiceClient(new HttpClient(), new AnonymousAuthenticationProvider(), Root.AbsoluteUri.TrimEnd('/'));
        var sender = new GraphRequestSender(client, Root);
        var request = client.Users[key].ToGetRequestInformation(r => r.QueryParameters.Select = new[] { "id", "userPrincipalName" });

        var step = await sender.ToStepAsync("1", request, CancellationToken.None);

        Assert.Equal(expectedPath + "?$select=id,userPrincipalName", step.RelativeUrl);
        Assert.Equal("GET", step.Method);
        Assert.Null(step.JsonBody);
    }

    [Fact]
    public async Task Assign_license_step_always_carries_both_keys()
    {
        using var client = new GraphServiceClient(new HttpClient(), new AnonymousAuthenticationProvider(), Root.AbsoluteUri.TrimEnd('/'));
        var sender = new GraphRequestSender(client, Root);
        var request = client.Users["u1"].AssignLicense.ToPostRequestInformation(new Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody
        {
            AddLicenses = new List<Microsoft.Graph.Models.AssignedLicense>(),
            RemoveLicenses = new List<Guid?>(),
        });

        var step = await sender.ToStepAsync("w1", request, CancellationToken.None);
        using var content = BatchContentWriter.Write(new[] { step });
        using var json = System.Text.Json.JsonDocument.Parse(content);
        var item = json.RootElement.GetProperty("requests")[0];

        Assert.Equal("/users/u1/assignLicense", item.GetProperty("url").GetString());
        Assert.Equal("POST", item.GetProperty("method").GetString());
        Assert.Equal("application/json", item.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal(0, item.GetProperty("body").GetProperty("addLicenses").GetArrayLength());
        Assert.Equal(0, item.GetProperty("body").GetProperty("removeLicenses").GetArrayLength());
    }

    [Fact]
    public void Url_outside_the_service_root_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => BatchUrls.ToRelative(new Uri("http://127.0.0.1:5000/beta/users"), Root));
    }
}
