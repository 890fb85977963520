using Azure.Identity;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;
using Xunit;

namespace E4Upgrade.Engine.Tests.Graph;

public class FailureTranslationTests
{
    [Theory]
    [InlineData(GraphAuthMethod.AccessToken, 401, "TokenExpired", "AuthenticationError")]
    [InlineData(GraphAuthMethod.ClientSecret, 401, "AuthenticationFailed", "AuthenticationError")]
    [InlineData(GraphAuthMethod.ManagedIdentity, 403, "PermissionMissing", "PermissionDenied")]
    [InlineData(GraphAuthMethod.ClientSecret, 404, "GraphError", "ObjectNotFound")]
    [InlineData(GraphAuthMethod.ClientSecret, 429, "RetriesExhausted", "LimitsExceeded")]
    [InlineData(GraphAuthMethod.ClientSecret, 503, "RetriesExhausted", "ResourceUnavailable")]
    [InlineData(GraphAuthMethod.ClientSecret, 400, "GraphError", "InvalidOperation")]
    public void StatusesMapToErrorIdsAndCategories(GraphAuthMethod method, int status, string errorId, string category)
    {
        var error = new GraphFailureTranslator(method).FromStatus(status, "Code", "Message text", "GET x");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(category, error.Category.ToString());
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal("Code", error.GraphErrorCode);
        Assert.Contains("Message text", error.Message);
    }

    [Fact]
    public void Credential_failures_are_authentication_failed()
    {
        var translator = new GraphFailureTranslator(GraphAuthMethod.ManagedIdentity);

        var error = translator.Translate(new CredentialUnavailableException("No managed identity endpoint found."), "GET subscribedSkus");

        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.AuthenticationError, error.Category);
    }

    [Fact]
    public void Transport_failures_after_retries_are_retries_exhausted()
    {
        var translator = new GraphFailureTranslator(GraphAuthMethod.AccessToken);

        Assert.Equal(ErrorCategoryNames.OperationTimeout, translator.Translate(new TimeoutException("slow"), "GET x").Category);
        Assert.Equal(ErrorCategoryNames.ConnectionError, translator.Translate(new HttpRequestException("reset"), "GET x").Category);
        Assert.Equal(ErrorIds.RetriesExhausted, translator.Translate(new HttpRequestException("reset"), "GET x").ErrorId);
    }

    [Fact]
    public void The_sdk_retry_handler_is_not_in_the_pipeline()
    {
        var handlers = GraphHttpPipeline.CreateHandlers(new GraphResilienceOptions());

        // The budget waits outside the request timeout: waiting for resource units is not Graph being slow.
        Assert.IsType<ResourceUnitPacingHandler>(handlers[0]);
        Assert.IsType<RequestTimeoutHandler>(handlers[1]);
        Assert.DoesNotContain(handlers, handler => handler.GetType().Name == "RetryHandler");
        Assert.DoesNotContain(handlers, handler => handler.GetType().Name == "RedirectHandler");
        Assert.IsType<RedirectRefusalHandler>(handlers[^1]);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void OnlyTransientStatusesAreRetried(int status, bool retried)
    {
        Assert.Equal(retried, RetryClassifier.IsRetryable(status));
    }

    [Fact]
    public void Caller_cancellation_is_never_transient()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(RetryClassifier.IsTransient(new OperationCanceledException(), cancelled.Token));
        Assert.True(RetryClassifier.IsTransient(new OperationCanceledException(), CancellationToken.None));
    }
}
