using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The journal blob as the journal writer sees a file: reads from any position (ranged downloads), writes that
    /// wait in memory until Flush, and a Flush that is one Append Block at the known end under the run's lease. An
    /// append blob takes at most 50,000 blocks, so a journal goes on in &lt;name&gt;.2, &lt;name&gt;.3, ... (segments; the
    /// run's lease is on the first and on the one it appends to): a record is one block, so none spans two segments. A cut to a shorter length (a torn
    /// last record found at open) keeps the last segment whole beside it and writes it again up to the cut, since an
    /// append blob cannot shrink.
    /// https://learn.microsoft.com/rest/api/storageservices/understanding-block-blobs--append-blobs--and-page-blobs
    /// </summary>
    internal sealed class BlobJournalStream : Stream
    {
        /// <summary>Under the 4 MiB an append block may carry, and above the largest record (JournalFormat.MaxRecordBytes).</summary>
        internal const int MaxAppend = 4 * 1024 * 1024;
        private const int ReadChunk = 4 * 1024 * 1024;

        private readonly string _location;
        private readonly BlobJournalLease? _lease;
        private readonly int _blocksPerSegment;
        private readonly List<Segment> _segments;
        private readonly MemoryStream _pending = new MemoryStream();
        private long _position;
        private byte[] _chunk = Array.Empty<byte>();
        private long _chunkStart;

        private BlobJournalStream(List<Segment> segments, string location, BlobJournalLease? lease, int blocksPerSegment)
        {
            _segments = segments;
            _location = location;
            _lease = lease;
            _blocksPerSegment = blocksPerSegment;
        }

        /// <summary>The journal that starts at <paramref name="first"/>, with every segment that follows it.</summary>
        public static BlobJournalStream Open(AppendBlobClient first, string location, BlobJournalLease? lease, BlobJournalSettings settings)
        {
            var segments = new List<Segment>();
            var container = first.GetParentBlobContainerClient();
            var blob = first;
            long start = 0;
            while (true)
            {
                var properties = BlobJournalErrors.Guard(location, () =>
                {
                    try
                    {
                        return blob.GetProperties().Value;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 404 && segments.Count > 0)
                    {
                        return null;
                    }
                });
                if (properties == null)
                {
                    break;
                }

                segments.Add(new Segment(blob, start, properties.ContentLength, properties.BlobCommittedBlockCount));
                start += properties.ContentLength;
                blob = container.GetAppendBlobClient(first.Name + "." + (segments.Count + 1));
            }

            if (lease != null && segments.Count > 1)
            {
                lease.Hold(segments[segments.Count - 1].Blob);
            }

            return new BlobJournalStream(segments, location, lease, settings.BlocksPerSegment);
        }

        /// <summary>The blobs the journal spans (one until the first holds <see cref="BlobJournalSettings.BlocksPerSegment"/> records).</summary>
        public int Segments => _segments.Count;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => _lease != null;

        public override long Length => Committed + _pending.Length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        private Segment Last => _segments[_segments.Count - 1];

        private long Committed => Last.Start + Last.Length;

        public override int ReadByte()
        {
            if (!Fill())
            {
                return -1;
            }

            return _chunk[_position++ - _chunkStart];
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0 || !Fill())
            {
                return 0;
            }

            var available = (int)Math.Min(count, _chunkStart + _chunk.Length - _position);
            Buffer.BlockCopy(_chunk, (int)(_position - _chunkStart), buffer, offset, available);
            _position += available;
            return available;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            _position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => Length + offset,
            };
            return _position;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            RequireLease();
            _pending.Write(buffer, offset, count);
            _position = Length;
        }

        /// <summary>One Append Block for what was written since the last Flush: all of it lands, or none (IOException).</summary>
        public override void Flush()
        {
            if (_pending.Length == 0)
            {
                return;
            }

            RequireLease();
            var bytes = _pending.ToArray();
            _pending.SetLength(0);
            if (Last.Blocks >= _blocksPerSegment)
            {
                StartSegment();
            }

            Append(Last, bytes);
            _position = Committed;
        }

        /// <summary>Drops unflushed bytes; a shorter length rewrites the last segment (only a torn tail found at open asks for that).</summary>
        public override void SetLength(long value)
        {
            RequireLease();
            _pending.SetLength(0);
            if (value < Committed)
            {
                CutTo(value);
            }

            _position = Math.Min(_position, Committed);
        }

        private void RequireLease()
        {
            if (_lease == null)
            {
                throw new NotSupportedException("A journal blob opened for reading is not written.");
            }
        }

        private bool Fill()
        {
            if (_position >= Committed)
            {
                return false;
            }

            if (_position >= _chunkStart && _position < _chunkStart + _chunk.Length)
            {
                return true;
            }

            var segment = _segments.Last(s => s.Start <= _position);
            var offset = _position - segment.Start;
            var size = (int)Math.Min(ReadChunk, segment.Length - offset);
            _chunk = BlobJournalErrors.Guard(_location, () =>
                segment.Blob.DownloadContent(new BlobDownloadOptions { Range = new HttpRange(offset, size) }).Value.Content.ToArray());
            _chunkStart = _position;
            return _chunk.Length > 0;
        }

        private void StartSegment()
        {
            var next = Last.Blob.GetParentBlobContainerClient().GetAppendBlobClient(_segments[0].Blob.Name + "." + (_segments.Count + 1));
            try
            {
                // If-None-Match: *, so a segment written before is never emptied.
                next.CreateIfNotExists();
            }
            catch (Exception ex) when (!(ex is E4UpgradeException) && BlobJournalErrors.Translate(_location, ex) != null)
            {
                throw BlobJournalErrors.WriteFailure(ex);
            }

            _lease!.Hold(next);
            _segments.Add(new Segment(next, Committed, 0, 0));
        }

        private void Append(Segment segment, byte[] bytes)
        {
            var at = segment.Length;
            try
            {
                using var content = new MemoryStream(bytes, writable: false);
                var info = segment.Blob.AppendBlock(content, new AppendBlobAppendBlockOptions
                {
                    Conditions = new AppendBlobRequestConditions { LeaseId = _lease!.LeaseId, IfAppendPositionEqual = at },
                }).Value;
                segment.Blocks = info.BlobCommittedBlockCount;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && LandedEarlier(segment, bytes, at))
            {
                // The answer to a block that landed was lost and the client sent it again: the position condition
                // refused the copy, so the record is in the journal once.
                segment.Blocks++;
            }
            catch (Exception ex) when (!(ex is E4UpgradeException) && BlobJournalErrors.Translate(_location, ex) != null)
            {
                throw BlobJournalErrors.WriteFailure(ex);
            }

            segment.Length += bytes.Length;
        }

        private static bool LandedEarlier(Segment segment, byte[] bytes, long at)
        {
            try
            {
                var properties = segment.Blob.GetProperties().Value;
                if (properties.ContentLength != at + bytes.Length)
                {
                    return false;
                }

                var tail = segment.Blob.DownloadContent(new BlobDownloadOptions { Range = new HttpRange(at, bytes.Length) }).Value.Content.ToArray();
                return tail.SequenceEqual(bytes);
            }
            catch (RequestFailedException)
            {
                return false;
            }
        }

        /// <summary>
        /// Keeps the last segment as &lt;segment name&gt;.torn-&lt;UTC time&gt; beside it, then writes it again up to the cut,
        /// in appends that end on a record's end: should this stop halfway, what remains is whole records of the journal.
        /// </summary>
        private void CutTo(long value)
        {
            var segment = Last;
            if (value < segment.Start)
            {
                throw new IOException("a cut reaches into an earlier segment of the journal, which holds whole records only");
            }

            try
            {
                var whole = segment.Blob.DownloadContent(new BlobDownloadOptions { Conditions = new BlobRequestConditions { LeaseId = _lease!.LeaseId } }).Value.Content.ToArray();
                var keep = segment.Blob.GetParentBlobContainerClient().GetBlobClient(segment.Blob.Name + ".torn-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ"));
                keep.Upload(new BinaryData(whole), overwrite: false);
                segment.Blob.Create(new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { LeaseId = _lease.LeaseId } });
                segment.Length = 0;
                segment.Blocks = 0;
                foreach (var piece in RecordAlignedPieces(whole, value - segment.Start))
                {
                    Append(segment, piece);
                }
            }
            catch (Exception ex) when (!(ex is IOException) && !(ex is E4UpgradeException) && BlobJournalErrors.Translate(_location, ex) != null)
            {
                throw BlobJournalErrors.WriteFailure(ex);
            }
        }

        /// <summary>The first <paramref name="length"/> bytes in pieces of at most <see cref="MaxAppend"/>, each ending at a newline.</summary>
        internal static IEnumerable<byte[]> RecordAlignedPieces(byte[] bytes, long length)
        {
            long start = 0;
            while (start < length)
            {
                var end = Math.Min(length, start + MaxAppend);
                if (end < length)
                {
                    var newline = Array.LastIndexOf(bytes, (byte)'\n', (int)end - 1, (int)(end - start));
                    end = newline >= start ? newline + 1 : end;
                }

                var piece = new byte[end - start];
                Array.Copy(bytes, start, piece, 0, piece.Length);
                yield return piece;
                start = end;
            }
        }

        private sealed class Segment
        {
            public Segment(AppendBlobClient blob, long start, long length, int blocks)
            {
                Blob = blob;
                Start = start;
                Length = length;
                Blocks = blocks;
            }

            public AppendBlobClient Blob { get; }

            public long Start { get; }

            public long Length { get; set; }

            public int Blocks { get; set; }
        }
    }
}
