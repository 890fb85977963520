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
    /// wait in memory until Flush, and a Flush that is one Append Block at the known end under the run's lease. A cut
    /// to a shorter length (a torn last record found at open) keeps the whole blob beside it and writes the journal
    /// again up to the cut, since an append blob cannot shrink.
    /// </summary>
    internal sealed class BlobJournalStream : Stream
    {
        /// <summary>Under the 4 MiB an append block may carry, and above the largest record (JournalFormat.MaxRecordBytes).</summary>
        internal const int MaxAppend = 4 * 1024 * 1024;
        private const int ReadChunk = 4 * 1024 * 1024;

        private readonly AppendBlobClient _blob;
        private readonly string _location;
        private readonly BlobJournalLease? _lease;
        private readonly MemoryStream _pending = new MemoryStream();
        private long _length;
        private long _position;
        private byte[] _chunk = Array.Empty<byte>();
        private long _chunkStart;

        public BlobJournalStream(AppendBlobClient blob, string location, long length, BlobJournalLease? lease)
        {
            _blob = blob;
            _location = location;
            _length = length;
            _lease = lease;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => _lease != null;

        public override long Length => _length + _pending.Length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

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
            Append(bytes, _length);
            _length += bytes.Length;
            _position = _length;
        }

        /// <summary>Drops unflushed bytes; a shorter length rewrites the blob (only a torn tail found at open asks for that).</summary>
        public override void SetLength(long value)
        {
            RequireLease();
            _pending.SetLength(0);
            if (value < _length)
            {
                CutTo(value);
            }

            _position = Math.Min(_position, _length);
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
            if (_position >= _length)
            {
                return false;
            }

            if (_position >= _chunkStart && _position < _chunkStart + _chunk.Length)
            {
                return true;
            }

            var size = (int)Math.Min(ReadChunk, _length - _position);
            var start = _position;
            _chunk = BlobJournalErrors.Guard(_location, () =>
                _blob.DownloadContent(new BlobDownloadOptions { Range = new HttpRange(start, size) }).Value.Content.ToArray());
            _chunkStart = start;
            return _chunk.Length > 0;
        }

        private void Append(byte[] bytes, long at)
        {
            try
            {
                using var content = new MemoryStream(bytes, writable: false);
                _blob.AppendBlock(content, new AppendBlobAppendBlockOptions
                {
                    Conditions = new AppendBlobRequestConditions { LeaseId = _lease!.LeaseId, IfAppendPositionEqual = at },
                });
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && LandedEarlier(bytes, at))
            {
                // The answer to a block that landed was lost and the client sent it again: the position condition
                // refused the copy, so the record is in the journal once.
            }
            catch (Exception ex) when (!(ex is E4UpgradeException) && BlobJournalErrors.Translate(_location, ex) != null)
            {
                throw BlobJournalErrors.WriteFailure(ex);
            }
        }

        private bool LandedEarlier(byte[] bytes, long at)
        {
            try
            {
                var properties = _blob.GetProperties().Value;
                if (properties.ContentLength != at + bytes.Length)
                {
                    return false;
                }

                var tail = _blob.DownloadContent(new BlobDownloadOptions { Range = new HttpRange(at, bytes.Length) }).Value.Content.ToArray();
                return tail.SequenceEqual(bytes);
            }
            catch (RequestFailedException)
            {
                return false;
            }
        }

        /// <summary>
        /// Keeps the whole blob as &lt;name&gt;.torn-&lt;UTC time&gt; beside it, then writes the journal again up to the cut,
        /// in appends that end on a record's end: should this stop halfway, what remains is whole records of the journal.
        /// </summary>
        private void CutTo(long value)
        {
            try
            {
                var whole = _blob.DownloadContent(new BlobDownloadOptions { Conditions = new BlobRequestConditions { LeaseId = _lease!.LeaseId } }).Value.Content.ToArray();
                var container = _blob.GetParentBlobContainerClient();
                var keep = container.GetBlobClient(_blob.Name + ".torn-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ"));
                keep.Upload(new BinaryData(whole), overwrite: false);
                _blob.Create(new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { LeaseId = _lease.LeaseId } });
                _length = 0;
                foreach (var piece in RecordAlignedPieces(whole, value))
                {
                    Append(piece, _length);
                    _length += piece.Length;
                }
            }
            catch (Exception ex) when (!(ex is IOException) && BlobJournalErrors.Translate(_location, ex) != null)
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
    }
}
