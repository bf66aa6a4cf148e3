using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Receipts;
using ELicence.Jose;
using ELicence.Tlog;

namespace ELicence.Core.Log;

/// <summary>Where producers put leaves for the sequencer. Adding the same <see cref="PendingLeaf.Id"/> again changes nothing.</summary>
public interface IPendingLeafSink
{
    Task AddAsync(PendingLeaf leaf, CancellationToken cancellationToken);
}

/// <summary>
/// Canonical log entries: compact JSON with members in lexicographic order and only ASCII values, so the bytes are
/// RFC 8785 (JCS) canonical and anyone can rebuild them. They carry what the public register shows (credit code,
/// status, version, time), who acted by their stable id (an API key id or an OpenID Connect subject, and for a four-eyes
/// change the proposer's too), and a digest of the full event; never names or reasons.
/// </summary>
public static class LogEntries
{
    public static PendingLeaf ForLicenceEvent(LicenceEventNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var e = notice.Event;
        var entry = Write(w =>
        {
            w.WriteString("actor", PublicId(e.ActorId));
            w.WriteString("at", Time(e.At));
            w.WriteString("code", notice.Code.ToString());
            w.WriteString("digest", B64Url.Encode(SHA256.HashData(ElicenceJson.SerializeToUtf8(e))));
            w.WriteString("kind", "licence-event");
            if (e.Approval is { } approval)
            {
                w.WriteString("proposer", PublicId(approval.ProposedBy.Id));
            }

            w.WriteNumber("sequence", e.Sequence);
            w.WriteString("status", e.StatusAfter.ToString());
            w.WriteString("type", e.Type);
            w.WriteNumber("version", e.Version);
        });
        return new PendingLeaf(string.Create(CultureInfo.InvariantCulture, $"event:{notice.Code}:{e.Sequence}"), entry);
    }

    /// <summary>A single receipt: its id, the credit code checked (when there was one), and the SHA-256 of the signed receipt as issued, so the JWS a bank holds is what the leaf commits to.</summary>
    public static PendingLeaf ForReceipt(StoredReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return ForSignedReceipt("receipt", receipt.Id, receipt.Receipt.Checked.CreditCode, receipt.Receipt.VerifiedAt, receipt.Jws);
    }

    /// <summary>The leaf id of a receipt by its id: <c>batch-receipt:{id}</c> for a batch receipt, <c>receipt:{id}</c> otherwise.</summary>
    public static string ReceiptLeafId(string receiptId) =>
        (BatchReceipt.IsWellFormedId(receiptId) ? "batch-receipt:" : "receipt:") + receiptId;

    /// <summary>A batch receipt: one leaf for the whole batch (its items are inside the signed JWS the digest covers).</summary>
    public static PendingLeaf ForBatchReceipt(StoredBatchReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return ForSignedReceipt("batch-receipt", receipt.Id, null, receipt.Receipt.VerifiedAt, receipt.Jws);
    }

    /// <summary>
    /// The key events a ring shows: each key announced, active, retired, compromised as far as it got. Derived from the ring
    /// itself, so adding them again after every ring change (or timer run) repairs a crash that lost one; the leaf id
    /// <c>key:{kid}:{state}</c> keeps each in the log once. Public data only (kid is the JWK thumbprint of the public key).
    /// </summary>
    public static IReadOnlyList<PendingLeaf> ForKeyRing(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var leaves = new List<PendingLeaf>();
        foreach (var key in ring.Keys)
        {
            var view = KeyView.Of(key);
            leaves.Add(ForKeyEvent(view, "announced", view.AnnouncedAt));
            // Rings stored before activation times were kept have none: a key active or retired then signed from its creation.
            if ((key.ActivatedAt ?? (key.State is KeyState.Active or KeyState.Retired ? key.CreatedAt : null)) is { } activated)
            {
                leaves.Add(ForKeyEvent(view, "active", activated));
            }

            if (view.RetiredAt is { } retired)
            {
                leaves.Add(ForKeyEvent(view, "retired", retired));
            }

            if (view.CompromisedAt is { } compromised)
            {
                leaves.Add(ForKeyEvent(view, "compromised", compromised));
            }
        }

        return leaves;
    }

    private static PendingLeaf ForKeyEvent(KeyView key, string state, DateTimeOffset at)
    {
        var entry = Write(w =>
        {
            w.WriteString("alg", key.Alg);
            w.WriteString("at", Time(at));
            w.WriteString("kid", key.Kid);
            w.WriteString("kind", "key-event");
            w.WriteString("state", state);
        });
        return new PendingLeaf($"key:{key.Kid}:{state}", entry);
    }

    /// <summary>
    /// The leaf id an entry was appended under, rebuilt from the entry itself (<c>event:{code}:{sequence}</c>,
    /// <c>receipt:{id}</c>, <c>batch-receipt:{id}</c>, <c>key:{kid}:{state}</c>); null for anything else.
    /// </summary>
    public static string? LeafIdOf(ReadOnlySpan<byte> entry)
    {
        try
        {
            var reader = new Utf8JsonReader(entry);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return Text("kind") switch
            {
                "licence-event" when Text("code") is { } code && root.TryGetProperty("sequence", out var sequence) && sequence.TryGetInt32(out var n) =>
                    string.Create(CultureInfo.InvariantCulture, $"event:{code}:{n}"),
                "receipt" or "batch-receipt" when Text("receipt") is { } id => $"{Text("kind")}:{id}",
                "key-event" when Text("kid") is { } kid && Text("state") is { } state => $"key:{kid}:{state}",
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>kind</c> and <c>code</c> members of an entry (code null when it has none); null when it is not an entry object.</summary>
    public static (string Kind, string? Code)? Describe(ReadOnlySpan<byte> entry)
    {
        try
        {
            var reader = new Utf8JsonReader(entry);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return (kind.GetString()!, code);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static PendingLeaf ForSignedReceipt(string kind, string id, string? creditCode, DateTimeOffset verifiedAt, string jws)
    {
        var entry = Write(w =>
        {
            w.WriteString("at", Time(verifiedAt));
            if (creditCode is not null)
            {
                w.WriteString("code", creditCode);
            }

            w.WriteString("digest", B64Url.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(jws))));
            w.WriteString("kind", kind);
            w.WriteString("receipt", id);
        });
        return new PendingLeaf($"{kind}:{id}", entry);
    }

    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// An actor id as the entry shows it: as is when it is ASCII letters, digits and <c>:._-</c> (key ids, Entra subjects, timers),
    /// else its SHA-256, so the entry stays canonical (nothing a JSON writer escapes).
    /// </summary>
    private static string PublicId(string id) =>
        id.Length <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-')
            ? id
            : "sha256:" + B64Url.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>Puts every committed licence event into the log's pending leaves; idempotent per (code, sequence) through the leaf id.</summary>
public sealed class LogLicenceEventSubscriber(IPendingLeafSink sink) : ILicenceEventSubscriber
{
    public string Name => "transparency-log";

    public Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken) =>
        sink.AddAsync(LogEntries.ForLicenceEvent(notice), cancellationToken);
}
