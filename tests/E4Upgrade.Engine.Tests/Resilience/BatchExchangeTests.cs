using System.Net;
using System.Net.Http;
using System.Text;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;
using E4Upgrade.Engine.Tests.Pacing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Resilience;

/// <summary>A $batch's bodies are parsed once on the hot path: its items are priced from the steps it was built from, and its answer is parsed once for the budget and the sender.</summary>
public class BatchExchangeTests
{
    private const string RefusedItem = """
        {"responses":[{"id":"1","status":429,"headers":{"Retry-After":"4","x-ms-throttle-information":"ResourceUnitLimitExceeded"},
          "body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}}]}
        """;

    [Fact]
    public async Task The_handler_prices_the_steps_it_is_given_and_hands_back_the_answer_it_parsed()
    {
        var budget = new ResourceUnitBudget(null, new ManualClock());
        var handler = new ResourceUnitPacingHandler(budget, new RetryAfterHeader())
        {
            InnerHandler = new Answering(RefusedItem),
        };
        var exchange = new BatchExchange(new[] { new BatchStep("1", "GET", "users/u1?$select=id", null) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://graph.microsoft.com/v1.0/$batch")
        {
            // Not JSON: only the steps can tell the handler what the $batch carries.
            Content = new StringContent("not a batch envelope", Encoding.UTF8, "application/json"),
        };
        request.Options.Set(new HttpRequestOptionsKey<BatchExchange>(typeof(BatchExchange).FullName!), exchange);

        using var response = await new HttpMessageInvoker(handler).SendAsync(request, CancellationToken.None);

        Assert.Equal(1, budget.Pauses); // the item's 429 was read against the step it answers
        Assert.NotNull(exchange.Answer);
        Assert.Equal(429, exchange.Answer!.Items["1"].Status);
    }

    private sealed class Answering : HttpMessageHandler
    {
        private readonly string _body;

        public Answering(string body)
        {
            _body = body;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body, Encoding.UTF8, "application/json"), RequestMessage = request });
    }
}
