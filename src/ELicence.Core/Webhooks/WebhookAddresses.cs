using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ELicence.Core.Webhooks;

/// <summary>
/// Where deliveries may go (SSRF rules): https to public unicast addresses only, never the service's own network, the
/// cloud metadata endpoint or another tenant behind a carrier NAT. The sender checks the address it actually connects
/// to, after DNS, so a name that later resolves elsewhere (DNS rebinding) gains nothing.
/// </summary>
public sealed class WebhookAddresses(WebhookOptions options)
{
    public const int MaxUrlLength = 2048;

    /// <summary>Checks a subscription URL as given (scheme, form, literal addresses); null when acceptable, else why not.</summary>
    public string? Refusal(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Required: the https URL that receives the notifications.";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"At most {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return "Not an absolute URL.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "A URL without user name, password or fragment.";
        }

        if (IsLoopbackHost(uri))
        {
            if (options.AllowHttpLocalhostPort is not { } port)
            {
                return uri.Scheme == Uri.UriSchemeHttp ? "http://localhost is accepted only in development; use an https URL." : "The URL must reach a public address.";
            }

            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            {
                return "Only https URLs are accepted.";
            }

            return uri.Port == port ? null : string.Create(CultureInfo.InvariantCulture, $"A loopback URL may name only port {port} (Webhooks:AllowHttpLocalhostPort).");
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return "Only https URLs are accepted.";
        }

        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !IsPublic(literal))
        {
            return $"The URL must reach a public address; {literal} is not one.";
        }

        return null;
    }

    /// <summary>
    /// Whether the sender may connect to <paramref name="address"/> for a delivery to <paramref name="uri"/>: a public
    /// address, or in development a loopback address for a loopback URL on the one allowed port.
    /// </summary>
    public bool MayConnect(Uri uri, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(address);
        return IsPublic(address)
            || (options.AllowHttpLocalhostPort is { } port && uri.Port == port && IsLoopbackHost(uri) && IsLoopback(address));
    }

    /// <summary>localhost by name, or a loopback address in any spelling (127.1, 0x7f000001, [::ffff:127.0.0.1], [::1] …).</summary>
    private static bool IsLoopbackHost(Uri uri) =>
        uri.IsLoopback
        || uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var literal) && IsLoopback(literal));

    private static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>A globally routable unicast address (IANA special-purpose registries for IPv4 and IPv6 excluded).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address.GetAddressBytes()),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0                                        // "this network"
        || b[0] == 10                                    // private
        || (b[0] == 100 && (b[1] & 0xC0) == 64)          // 100.64/10 carrier-grade NAT
        || b[0] == 127                                   // loopback
        || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata (169.254.169.254)
        || (b[0] == 172 && (b[1] & 0xF0) == 16)          // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
        || (b[0] == 192 && b[1] == 0 && b[2] == 2)       // TEST-NET-1
        || (b[0] == 192 && b[1] == 88 && b[2] == 99)     // 6to4 relay anycast
        || (b[0] == 192 && b[1] == 168)                  // private
        || (b[0] == 198 && (b[1] & 0xFE) == 18)          // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)    // TEST-NET-2
        || (b[0] == 203 && b[1] == 0 && b[2] == 113)     // TEST-NET-3
        || b[0] >= 224);                                 // multicast, reserved, broadcast

    private static bool IsPublicV6(byte[] b)
    {
        // Global unicast is 2000::/3; everything else (loopback, unspecified, mapped, NAT64 64:ff9b::/96, discard 100::/64,
        // ULA fc00::/7, link-local fe80::/10, site-local, multicast) is outside it.
        if ((b[0] & 0xE0) != 0x20)
        {
            return false;
        }

        return !(
            (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)                      // 2001::/23 IETF assignments (Teredo, ORCHID…)
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)  // 2001:db8::/32 documentation
            || (b[0] == 0x20 && b[1] == 0x02)                                  // 2002::/16 6to4: embeds any IPv4 address
            || (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0));          // 3fff::/20 documentation
    }
}
