using System.IO;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>A journal in a local file (see <see cref="JournalFile"/> for how it is opened and locked).</summary>
    internal sealed class FileJournalStore : IJournalStore
    {
        public FileJournalStore(string path)
        {
            JournalPathRules.Check(path);
            Location = Path.GetFullPath(path);
        }

        public string Location { get; }

        public bool Exists() => File.Exists(Location) || Directory.Exists(Location);

        public Stream OpenForReading()
        {
            if (Directory.Exists(Location))
            {
                throw JournalFile.NotARegularFile(Location, "a folder");
            }

            return JournalFile.OpenForReading(Location);
        }

        public IJournalLease OpenForRun()
        {
            var directory = Path.GetDirectoryName(Location);
            if (!string.IsNullOrEmpty(directory))
            {
                try
                {
                    OwnerOnlyFile.EnsureDirectory(directory!);
                }
                catch (System.Exception ex) when (ex is System.UnauthorizedAccessException || ex is IOException)
                {
                    throw JournalFile.NotWritable(Location, ex.Message);
                }
            }

            if (Directory.Exists(Location))
            {
                throw JournalFile.NotARegularFile(Location, "a folder");
            }

            return new Lease(JournalFile.OpenForRun(Location), Location);
        }

        private sealed class Lease : IJournalLease
        {
            private readonly FileStream _stream;
            private readonly string _path;

            public Lease(FileStream stream, string path)
            {
                _stream = stream;
                _path = path;
            }

            public Stream Stream => _stream;

            public void Adopt() => JournalFile.MakeOwnerOnly(_stream, _path);

            public void Dispose() => _stream.Dispose();
        }
    }
}
