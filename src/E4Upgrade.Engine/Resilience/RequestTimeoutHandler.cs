using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>
    /// Bounds one HTTP exchange, response body included, so a hung connection ends as a <see cref="TimeoutException"/>
    /// (reported as status 0) instead of blocking a batch forever. The body is buffered inside the deadline because the
    /// SDK reads it only after the handlers have returned.
    /// </summary>
    public sealed class RequestTimeoutHandler : DelegatingHandler
    {
        private readonly TimeSpan _timeout;

        public RequestTimeoutHandler(TimeSpan timeout)
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout));
            }

            _timeout = timeout;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_timeout);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, deadline.Token).ConfigureAwait(false);
                if (response.Content != null)
                {
                    await BufferWithinDeadlineAsync(response.Content, deadline.Token).ConfigureAwait(false);
                }

                return response;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                throw new TimeoutException($"Graph did not answer {request.Method} {Describe(request.RequestUri)} within {_timeout.TotalSeconds:0.###} s.");
            }
            catch
            {
                response?.Dispose();
                throw;
            }
        }

        private static async Task BufferWithinDeadlineAsync(HttpContent content, CancellationToken deadline)
        {
            var buffering = content.LoadIntoBufferAsync();
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (deadline.Register(() => cancelled.TrySetResult(true)))
            {
                var first = await Task.WhenAny(buffering, cancelled.Task).ConfigureAwait(false);
                if (first != buffering)
                {
                    ObserveLater(buffering);
                    throw new OperationCanceledException(deadline);
                }
            }

            await buffering.ConfigureAwait(false);
        }

        private static void ObserveLater(Task task)
        {
            task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }

        /// <summary>Path only: query strings are not secret here, but they are long and not useful in a timeout message.</summary>
        internal static string Describe(Uri? uri) => uri == null ? "(no uri)" : uri.GetLeftPart(UriPartial.Path);
    }
}
