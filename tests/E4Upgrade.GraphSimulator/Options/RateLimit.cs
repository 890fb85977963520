using System;
using System.Globalization;

namespace E4Upgrade.GraphSimulator.Options;

/// <summary>A write quota such as "3000/150": <see cref="Requests"/> writes per <see cref="WindowSeconds"/> seconds.</summary>
public sealed record RateLimit(int Requests, double WindowSeconds)
{
    public static RateLimit Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var requests)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || requests < 1 || seconds <= 0)
        {
            throw new ArgumentException($"Invalid rate limit '{text}': expected REQUESTS/SECONDS, e.g. 3000/150.");
        }

        return new RateLimit(requests, seconds);
    }

    public override string ToString() => $"{Requests}/{WindowSeconds.ToString(CultureInfo.InvariantCulture)}";
}
