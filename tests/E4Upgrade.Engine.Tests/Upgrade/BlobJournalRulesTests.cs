using System.Text;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>The blob journal's pure rules: which -JournalPath is a blob, which URL is refused, the SAS never shown, renewals on the clock.</summary>
public sealed class BlobJournalRulesTests
{
    [Theory]
    [InlineData("https://contoso.blob.core.windows.net/journals/e4.jsonl", "journals", "e4.jsonl")]
    [InlineData("https://contoso.blob.core.windows.net/journals/tenants/e4.jsonl?sv=2024-01-01&sig=abc", "journals", "tenants/e4.jsonl")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/journals/e4.jsonl", "journals", "e4.jsonl")]
    [InlineData("https://127.0.0.1:10000/devstoreaccount1/journals/e4.jsonl", "journals", "e4.jsonl")]
    public void A_blob_URL_names_its_container_and_blob(string url, string container, string blob)
    {
        var address = BlobJournalAddress.Parse(url);

        Assert.Equal(container, address.Container);
        Assert.Equal(blob, address.Blob);
        Assert.DoesNotContain("sig=", address.Display);
        Assert.Equal(url.Contains("sig="), address.HasSas);
    }

    [Theory]
    [InlineData("http://contoso.blob.core.windows.net/journals/e4.jsonl")] // a SAS or token in clear text
    [InlineData("https://contoso.blob.core.windows.net/")]
    [InlineData("https://contoso.blob.core.windows.net/journals")]
    [InlineData("https://contoso.blob.core.windows.net/journals/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/journals")]
    [InlineData("https://user@contoso.blob.core.windows.net/journals/e4.jsonl")]
    [InlineData("https://contoso.blob.core.windows.net/journals/e4.jsonl?snapshot=2026-01-01T00:00:00.0000000Z")]
    public void A_URL_that_cannot_name_a_journal_blob_is_InvalidJournalUrl(string url)
    {
        var ex = Assert.Throws<E4UpgradeException>(() => JournalStores.For(url, null));

        Assert.Equal(ErrorIds.InvalidJournalUrl, ex.ErrorId);
    }

    [Theory]
    [InlineData("https://contoso.blob.core.windows.net/j/e4.jsonl?sv=2024&sig=SECRET", "https://contoso.blob.core.windows.net/j/e4.jsonl")]
    [InlineData("/home/admin/e4.jsonl", "/home/admin/e4.jsonl")]
    [InlineData("HTTPS://x/y/z#f", "HTTPS://x/y/z")]
    public void Messages_name_a_blob_without_its_SAS(string path, string described)
    {
        Assert.Equal(described, JournalStores.Describe(path));
    }

    [Theory]
    [InlineData("https://contoso.blob.core.windows.net/j/e4.jsonl", true)]
    [InlineData("Http://127.0.0.1:1/a/b/c", true)]
    [InlineData("./https/e4.jsonl", false)]
    [InlineData("C:\\journals\\e4.jsonl", false)]
    public void Only_a_web_address_is_a_blob(string path, bool blob)
    {
        Assert.Equal(blob, JournalStores.IsBlob(path));
        Assert.Equal(blob, JournalStores.For(Path.IsPathRooted(path) || blob ? path : Path.GetFullPath(path), null) is BlobJournalStore);
    }

    [Fact]
    public void A_URL_without_a_SAS_and_a_session_without_a_storage_credential_is_JournalStorageNoCredential()
    {
        var store = JournalStores.For("https://contoso.blob.core.windows.net/journals/e4.jsonl", JournalAccess.None);

        var ex = Assert.Throws<E4UpgradeException>(() => store.Exists());

        Assert.Equal(ErrorIds.JournalStorageNoCredential, ex.ErrorId);
        Assert.Contains("Storage Blob Data Contributor", ex.Message);
    }

    [Fact]
    public void A_rewrite_is_cut_into_appends_that_end_on_a_record()
    {
        var line = Encoding.UTF8.GetBytes(new string('x', 1_000_000) + "\n");
        var bytes = Enumerable.Repeat(line, 9).SelectMany(b => b).ToArray();

        var pieces = BlobJournalStream.RecordAlignedPieces(bytes, bytes.Length - line.Length).ToList();

        Assert.True(pieces.All(p => p.Length <= BlobJournalStream.MaxAppend && p[^1] == (byte)'\n'));
        Assert.True(bytes.AsSpan(0, bytes.Length - line.Length).SequenceEqual(pieces.SelectMany(p => p).ToArray()));
        Assert.Equal(2, pieces.Count);
    }

    [Fact]
    public async Task The_renewer_renews_once_per_period_of_the_clock_and_keeps_going_after_a_failed_renewal()
    {
        var clock = new GatedClock();
        var calls = 0;
        using var renewer = new LeaseRenewer(clock, TimeSpan.FromSeconds(5), _ =>
        {
            if (Interlocked.Increment(ref calls) == 2) throw new IOException("no answer");
            return Task.CompletedTask;
        });
        renewer.Start();

        await WaitFor(() => clock.Waiting == 1);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, Volatile.Read(ref calls));
        for (var i = 1; i <= 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(i == 1 ? 1 : 5));
            await WaitFor(() => Volatile.Read(ref calls) == i && clock.Waiting == 1);
        }

        Assert.Equal(2, renewer.Renewals);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var end = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "the renewal did not happen");
            await Task.Delay(5);
        }
    }
}
