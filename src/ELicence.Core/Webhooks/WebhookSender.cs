using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ELicence.Core.Webhooks;

/// <summary>What one attempt got: the status (none when no answer came), at most 1 KiB of the answer, or why it failed.</summary>
public sealed record WebhookAttempt(int? Status, string? Response, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>Posts one signed delivery; never throws for what the receiver does (that is the attempt's result).</summary>
public interface IWebhookSender
{
    Task<WebhookAttempt> SendAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, string body, CancellationToken cancellationToken);
}

/// <summary>
/// The HTTP sender: 5 s per attempt, no redirects, no cookies, no proxy, and a connection only to an address that
/// <see cref="WebhookAddresses.MayConnect"/> allows, checked in the connect callback after DNS.
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    /// <summary>How much of a receiver's answer is kept.</summary>
    public const int MaxResponseBytes = 1024;

    private readonly HttpClient _client;

    public HttpWebhookSender(WebhookAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = WebhookOptions.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(addresses, context, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<WebhookAttempt> SendAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WebhookOptions.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ELicence-Webhooks", "1"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var answer = await ReadPrefixAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status, answer, status is >= 300 and < 400 ? "Redirects are not followed." : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, null, $"No answer within {WebhookOptions.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, null, e.InnerException is WebhookAddressRefusedException refused ? refused.Message : "Connection failed: " + e.Message);
        }
    }

    public void Dispose() => _client.Dispose();

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        // Whatever follows is not read: a receiver cannot make the service hold more than 1 KiB of its answer.
        return Encoding.UTF8.GetString(buffer, 0, filled);
    }

    private static async ValueTask<Stream> ConnectAsync(WebhookAddresses addresses, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var uri = context.InitialRequestMessage.RequestUri!;
        var host = context.DnsEndPoint.Host;
        var candidates = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        // Every address the name resolves to must be allowed: a name mixing public and private addresses is refused.
        if (candidates.Length == 0 || candidates.Any(a => !addresses.MayConnect(uri, a)))
        {
            throw new WebhookAddressRefusedException($"{host} resolves to an address that deliveries may not reach ({string.Join(", ", candidates.Select(a => a.ToString()))}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(candidates[0], context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A delivery's host resolved to an address it may not reach.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
