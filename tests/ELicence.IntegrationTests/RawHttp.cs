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

    /// <summary>Sends <paramref name="request"/> byte for byte (head and whatever body, however broken) and reads the whole response.</summary>
    public static async Task<RawResponse> SendBytesAsync(Uri server, byte[] request) =>
        await SendBytesAsync(server, request, closeSending: false) ?? throw new IOException("The server closed the connection without an answer.");

    /// <summary>
    /// Sends <paramref name="request"/>, then with <paramref name="closeSending"/> shuts down the sending side (the server
    /// reads the end of the stream), and reads the response; null when the server closes the connection without one.
    /// </summary>
    public static async Task<RawResponse?> SendBytesAsync(Uri server, byte[] request, bool closeSending)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(request);
        if (closeSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await stream.CopyToAsync(response, timeout.Token);
        }
        catch (IOException) when (response.Length == 0)
        {
            return null; // reset by the server before it answered
        }

        return response.Length == 0 ? null : Parse(Encoding.UTF8.GetString(response.ToArray()));
    }

    /// <summary>
    /// A client that crashes mid-body: sends <paramref name="head"/> (which asks <c>Expect: 100-continue</c>), waits until the
    /// server starts reading the body (its <c>100 Continue</c>), sends <paramref name="bodyStart"/>, then resets the connection.
    /// </summary>
    public static async Task SendAndResetMidBodyAsync(Uri server, byte[] head, byte[] bodyStart)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(head);
        var received = new List<byte>();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Encoding.ASCII.GetString([.. received]).Contains("100 Continue\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the server closed the connection before it asked for the body: " + Encoding.ASCII.GetString([.. received]));
            received.AddRange(buffer[..read]);
        }

        await stream.WriteAsync(bodyStart);
        await stream.FlushAsync();
        client.Client.LingerState = new LingerOption(true, 0); // close with RST, not FIN
        client.Client.Close();
    }

    /// <summary>A request head (with <c>Host</c> and <c>Connection: close</c>) and an optional body, as bytes.</summary>
    public static byte[] Request(Uri server, string requestLine, IEnumerable<string> headers, byte[]? body = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var head = new StringBuilder($"{requestLine}\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        return [.. Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), .. body ?? []];
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
