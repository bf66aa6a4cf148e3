using System.Net.Sockets;

namespace ELicence.IntegrationTests;

/// <summary>An HTTP/1.1 response as read off the socket.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// Sends requests byte for byte over a TCP socket, for what HttpClient refuses to send or rewrites on the way: non-ASCII
/// header bytes, oversized headers, percent-encoded dot segments.
/// </summary>
public static class RawHttp
{
    public static Task<RawResponse> GetAsync(Uri server, string target, params string[] headers) =>
        SendAsync(server, Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\n"), headers.Select(Encoding.ASCII.GetBytes).ToArray());

    /// <summary>Sends the request line and header lines as given (each line without its CRLF), then reads the whole response.</summary>
    public static async Task<RawResponse> SendAsync(Uri server, byte[] requestLine, params byte[][] headerLines)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = new MemoryStream();
        request.Write(requestLine);
        request.Write(Encoding.ASCII.GetBytes($"Host: {server.Authority}\r\nConnection: close\r\n"));
        foreach (var line in headerLines)
        {
            request.Write(line);
            request.Write("\r\n"u8);
        }

        request.Write("\r\n"u8);
        await stream.WriteAsync(request.ToArray());

        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(response, timeout.Token);
        return Parse(Encoding.UTF8.GetString(response.ToArray()));
    }

    private static RawResponse Parse(string text)
    {
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, "no complete response head: " + text);
        var lines = text[..headerEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())), StringComparer.OrdinalIgnoreCase);
        return new RawResponse(status, headers, text[(headerEnd + 4)..]);
    }
}
