using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.GraphSimulator.Hosting;

/// <summary>
/// The simulator as a process of its own (`dotnet E4Upgrade.GraphSimulator.dll ...`), for callers that must not share
/// a process with it (the benchmark times its start and measures clients' memory apart from it). Its address comes
/// from the "listening" line it prints at start (so --urls may keep port 0), its certificate's thumbprint from the
/// line after it with --https. Output goes to a log file if one is given; the last lines are kept for error messages.
/// Disposing kills it with its children.
/// </summary>
internal sealed partial class SimulatorProcess : ISimulatorRuntime
{
    private const int TailLines = 30;
    private readonly Process process;
    private readonly StreamWriter? log;
    private readonly Queue<string> tail = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> thumbprint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SimulatorProcess(Process process, StreamWriter? log)
    {
        this.process = process;
        this.log = log;
    }

    public int Id => process.Id;

    public static SimulatorProcess Start(string simulatorDll, IEnumerable<string> args, string? logFile)
    {
        if (!File.Exists(simulatorDll))
        {
            throw new FileNotFoundException($"Graph simulator not built: {simulatorDll} (run build.ps1 Build).", simulatorDll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(simulatorDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var log = logFile is null ? null : new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var started = new SimulatorProcess(process, log);
        process.OutputDataReceived += (_, e) => started.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnError(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The root URL it listens on, and with --https the SHA-1 thumbprint it printed (else null).</summary>
    public async Task<(Uri RootUrl, string? Thumbprint)> WaitUntilListeningAsync(bool https, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var root = await listening.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            var printed = https ? await thumbprint.Task.WaitAsync(limit.Token).ConfigureAwait(false) : null;
            return (root, printed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The Graph simulator did not say it was listening within {timeout.TotalSeconds:0} s: {Tail()}");
        }
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    /// <summary>The last lines it printed, for error messages.</summary>
    public string Tail()
    {
        lock (tail)
        {
            return string.Join(Environment.NewLine, tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or not gone within 10 s of the kill: nothing more to do here.
        }

        process.Dispose();
        lock (tail)
        {
            log?.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            OnOutputClosed();
        }
        else
        {
            OnLine(line);
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            errorClosed.TrySetResult();
        }

        OnLine(line);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            if (log?.BaseStream.CanWrite == true)
            {
                log.WriteLine(line);
            }

            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }

        if (ListeningLine().Match(line) is { Success: true } url)
        {
            // The line names the Graph base (…/v1.0); the root is what comes before it.
            listening.TrySetResult(new Uri(url.Groups["root"].Value.TrimEnd('/') + "/"));
        }
        else if (ThumbprintLine().Match(line) is { Success: true } printed)
        {
            thumbprint.TrySetResult(printed.Groups["thumbprint"].Value);
        }
    }

    /// <summary>Its standard output ended: it has exited (or is exiting), so it will never say it is ready if it has not yet.</summary>
    private void OnOutputClosed()
    {
        var code = process.WaitForExit(5000) ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        // Standard error is read on its own: its last lines (the reason it exited) can arrive after standard output closed.
        errorClosed.Task.Wait(TimeSpan.FromSeconds(5));
        var failure = new InvalidOperationException($"The Graph simulator exited (code {code}) before it was ready: {Tail()}");
        listening.TrySetException(failure);
        thumbprint.TrySetException(failure);
    }

    [GeneratedRegex(@"^Graph simulator listening on (?<root>\S+?)/v1\.0$")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^Certificate thumbprint \(SHA-1\): (?<thumbprint>[0-9A-Fa-f]{40})$")]
    private static partial Regex ThumbprintLine();
}
