using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace ELicence.Core.Webhooks;

/// <summary>
/// Refuses <see cref="WebhookOptions.AllowHttpLocalhostPort"/> at start unless the host itself listens on loopback only
/// (a development machine), and unless the port is not one of the host's own: a service reachable from elsewhere must
/// never deliver to its own loopback interface. Each host passes the addresses it serves (the local host its URLs, the
/// Functions host <c>WEBSITE_HOSTNAME</c>); an unknown address counts as not loopback.
/// </summary>
public sealed class WebhookHostCheck(IReadOnlyList<string> hostUrls) : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowHttpLocalhostPort is not { } port)
        {
            return ValidateOptionsResult.Success;
        }

        if (hostUrls.Count == 0)
        {
            return ValidateOptionsResult.Fail("Webhooks:AllowHttpLocalhostPort is for a host on loopback; this host's address is unknown, so the setting is refused.");
        }

        foreach (var url in hostUrls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || !IsLoopback(uri))
            {
                return ValidateOptionsResult.Fail($"Webhooks:AllowHttpLocalhostPort is for a host on loopback only; this host serves {url}. Remove the setting.");
            }

            if (uri.Port == port)
            {
                return ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture, $"Webhooks:AllowHttpLocalhostPort ({port}) is this host's own port; name the port of a separate receiver."));
            }
        }

        return ValidateOptionsResult.Success;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
}
