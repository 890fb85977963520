using System.Text.Json;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>The OData error shape Graph returns: {"error":{"code":..., "message":...}}.</summary>
    internal sealed class GraphErrorBody
    {
        public string? Code { get; private set; }
        public string? Message { get; private set; }

        public static GraphErrorBody? From(JsonElement? body)
        {
            if (body == null || body.Value.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!body.Value.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new GraphErrorBody
            {
                Code = ReadString(error, "code"),
                Message = ReadString(error, "message"),
            };
        }

        public static GraphErrorBody? FromText(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text!);
                return From(document.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? ReadString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
