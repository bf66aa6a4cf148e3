using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ELicence.Core.Webhooks;

/// <summary>
/// What one attempt got: the status (none when no answer came) and, when it failed, a short reason. The receiver's body is
/// never read, kept or shown: a delivery log that echoes answers would let a subscriber read whatever its URL reaches.
/// </summary>
public sealed record WebhookAttempt(int? Status, string? Error)
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxErrorLength = 200;

    public bool Succeeded => Status is >= 200 and < 300;

    public static string Truncate(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.Length <= MaxErrorLength ? reason : reason[..(MaxErrorLength - 1)] + "…";
    }
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
            // Headers only: the body is not read (disposing the response drops the connection's rest).
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status, status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => "Redirects are not followed.",
                _ => string.Create(CultureInfo.InvariantCulture, $"The receiver answered {status}."),
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, $"No answer within {WebhookOptions.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, WebhookAttempt.Truncate(e.InnerException is WebhookAddressRefusedException refused ? refused.Message : "Connection failed: " + e.Message));
        }
    }

    public void Dispose() => _client.Dispose();

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
