using System.Net.Http.Json;
using System.Text.Json;

namespace E4Upgrade.GraphSimulator.Tests.Support;

/// <summary>Raw HTTP to the /_simulator endpoints (not part of Graph, so not reachable through the SDK).</summary>
internal static class AdminHttp
{
    public static async Task<JsonElement> GetAsync(RunningSimulator simulator, string path)
    {
        using var http = new HttpClient(simulator.CreateHttpHandler()) { BaseAddress = simulator.RootUrl };
        return await http.GetFromJsonAsync<JsonElement>(path);
    }

    public static async Task<HttpResponseMessage> PostAsync(RunningSimulator simulator, string path, object body)
    {
        using var http = new HttpClient(simulator.CreateHttpHandler()) { BaseAddress = simulator.RootUrl };
        return await http.PostAsJsonAsync(path, body);
    }
}
