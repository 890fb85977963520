using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>Writes the $batch request body: {"requests":[{"id","method","url","headers","body"}]}.</summary>
    internal static class BatchContentWriter
    {
        public static MemoryStream Write(IReadOnlyList<BatchStep> steps)
        {
            var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("requests");
                foreach (var step in steps)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", step.Id);
                    writer.WriteString("method", step.Method);
                    writer.WriteString("url", step.RelativeUrl);
                    if (step.JsonBody != null)
                    {
                        // Graph requires headers with Content-Type whenever a step has a body.
                        writer.WriteStartObject("headers");
                        writer.WriteString("Content-Type", "application/json");
                        writer.WriteEndObject();
                        writer.WritePropertyName("body");
                        using var body = JsonDocument.Parse(step.JsonBody);
                        body.RootElement.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            stream.Position = 0;
            return stream;
        }
    }
}
