using System.Globalization;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;
using ELicence.Jose;

namespace ELicence.Core.Verification;

/// <summary>What a verifier without the register holds: the issuer it trusts, the published JWKS, and the status list credentials it cached, by URL.</summary>
public sealed record OfflineMaterial(string IssuerId, JsonWebKeySet Jwks, IReadOnlyDictionary<string, string> StatusLists);

/// <summary>
/// An offline answer: <see cref="Valid"/> is null when a check that could block (the status) could not be made; the reasons use
/// the online codes; <see cref="NotChecked"/> names what only the register can tell.
/// </summary>
public sealed record OfflineResult(bool? Valid, IReadOnlyList<VerificationReason> Reasons, IReadOnlyList<string> NotChecked, string? CreditCode, int? LicenceVersion);

/// <summary>
/// The credential checks that need only the JWKS and the status lists, with the same reason codes as the online check
/// (<see cref="LicenceChecker.CheckSignature"/> is shared). Offline, a superseded credential is marked in the revocation list
/// and so reads <c>revoked</c>, and a compromised key is absent from the JWKS and so reads <c>unknown-key</c>.
/// </summary>
public static class OfflineVerification
{
    /// <summary>What the register alone knows, so an offline answer never covers it.</summary>
    public static IReadOnlyList<string> RegisterOnly { get; } =
    [
        "licence-not-found: whether the register holds the licence",
        "credential-not-issued: whether this exact token was issued",
        "superseded: an amended licence's older credential reads revoked offline",
        "key-compromised: a withdrawn key reads unknown-key offline",
        "deregistration-notice: a running deregistration notice",
        "permits: operating permits",
    ];

    /// <summary>The JWKS's Ed25519 public keys by kid.</summary>
    public static Dictionary<string, byte[]> Ed25519Keys(JsonWebKeySet jwks)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        return jwks.Keys
            .Where(k => k is { Kty: "OKP", Crv: "Ed25519" } && B64Url.TryDecode(k.X, out _))
            .ToDictionary(k => k.Kid, k => B64Url.TryDecode(k.X, out var x) ? x : [], StringComparer.Ordinal);
    }

    public static OfflineResult Check(string jws, OfflineMaterial material, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(material);
        var keys = Ed25519Keys(material.Jwks);
        (byte[]?, bool) Find(string kid) => (keys.GetValueOrDefault(kid), false);

        var (target, payload, failure) = LicenceChecker.CheckSignature(jws, Find, material.IssuerId);
        if (payload is null)
        {
            return new OfflineResult(false, [failure!], RegisterOnly, target.CreditCode, target.LicenceVersion);
        }

        var reasons = new List<VerificationReason>();
        var notChecked = new List<string>(RegisterOnly);
        var today = ChinaTime.DateOf(now);
        if (payload.ValidUntil is { } until && now >= until)
        {
            reasons.Add(new(ReasonCodes.Expired, $"The credential's validity ended at {until:O}."));
        }

        if (today < payload.CredentialSubject.OperatingTerm.From)
        {
            reasons.Add(new(ReasonCodes.NotYetInForce, $"The operating term starts on {payload.CredentialSubject.OperatingTerm.From:yyyy-MM-dd}; the licence is not in force before then."));
        }

        foreach (var entry in payload.CredentialStatus ?? [])
        {
            var bit = StatusBit(entry, material, keys, now, out var gap);
            if (gap is not null)
            {
                notChecked.Insert(0, gap);
            }
            else if (bit == true)
            {
                reasons.Add(entry.StatusPurpose == StatusPurpose.Revocation
                    ? new(ReasonCodes.Revoked, "The revocation list marks this credential: the licence was revoked or deregistered, or this credential was superseded by an amendment.")
                    : new(ReasonCodes.Suspended, "The suspension list marks this credential: the licence is listed in the abnormal-operations list."));
            }
        }

        var blocked = reasons.Any(r => ReasonCodes.IsBlocking(r.Code));
        var statusUnknown = payload.CredentialStatus is not { Count: > 0 } || notChecked.Count > RegisterOnly.Count;
        if (!blocked && !statusUnknown)
        {
            reasons.Insert(0, new(ReasonCodes.Verified, "The credential is genuine and its status lists mark nothing."));
        }

        return new OfflineResult(blocked ? false : statusUnknown ? null : true, reasons, notChecked, target.CreditCode, target.LicenceVersion);
    }

    /// <summary>The entry's bit in its cached list, or null with the reason it could not be read (missing, stale, forged, mismatched).</summary>
    private static bool? StatusBit(StatusListEntry entry, OfflineMaterial material, Dictionary<string, byte[]> keys, DateTimeOffset now, out string? gap)
    {
        gap = null;
        if (!material.StatusLists.TryGetValue(entry.StatusListCredential, out var token))
        {
            gap = $"status: no cached {StatusListCredentials.StatusPurposeName(entry.StatusPurpose)} list {entry.StatusListCredential}";
            return null;
        }

        if (!CompactJws.TryParse(token.Trim(), out var parsed, out _) || parsed.KeyId is null || !keys.TryGetValue(parsed.KeyId, out var key)
            || !parsed.VerifyEd25519(key)
            || ElicenceJson.Deserialize<StatusListCredentialPayload>(parsed.Payload) is not { } list
            || list.Id != entry.StatusListCredential || list.CredentialSubject.StatusPurpose != entry.StatusPurpose || list.Issuer.Id != material.IssuerId)
        {
            gap = $"status: the cached list {entry.StatusListCredential} is not a status list this issuer signed";
            return null;
        }

        if (now >= list.ValidFrom.AddMilliseconds(list.CredentialSubject.Ttl))
        {
            gap = $"status: the cached list {entry.StatusListCredential} is older than its ttl; refresh it";
            return null;
        }

        var position = int.Parse(entry.StatusListIndex, NumberStyles.None, CultureInfo.InvariantCulture);
        try
        {
            return BitstringStatusList.Decode(list.CredentialSubject.EncodedList)[position];
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            gap = $"status: the cached list {entry.StatusListCredential} cannot be decoded ({e.Message})";
            return null;
        }
    }
}
