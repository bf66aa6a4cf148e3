using System.Text.Json;
using ELicence.Core.Keys;
using ELicence.Core.Log;
using ELicence.Core.Receipts;
using ELicence.Core.Serialization;
using ELicence.Jose;
using ELicence.Tlog;

namespace ELicence.OfflineVerifier;

/// <summary>
/// A receipt's inclusion proof as served by <c>GET /api/v1/receipts/{id}/proof</c>: leaf index and hash, tree size, the
/// inclusion hashes, the canonical entry and the signed checkpoint the proof leads to.
/// </summary>
internal sealed record ReceiptProof(long LeafIndex, byte[] LeafHash, long TreeSize, IReadOnlyList<byte[]> Hashes, byte[] Entry, string Checkpoint)
{
    private const string What = "the proof file";

    /// <summary>Parses the proof JSON; a missing or malformed member is named.</summary>
    public static ReceiptProof Parse(byte[] json)
    {
        using var document = PublishedLog.ParseJson(json, What);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{What} is not a JSON object.");
        }

        return new ReceiptProof(
            Int64(root, "leafIndex"),
            Base64(root, "leafHash"),
            Int64(root, "treeSize"),
            ProofHashes.Read(root, "hashes", What),
            Base64(root, "entry"),
            String(root, "checkpoint"));
    }

    /// <summary>
    /// The log entry a receipt JWS stands for, rebuilt by the service's own rules (<see cref="LogEntries.ForReceipt"/>,
    /// <see cref="LogEntries.ForBatchReceipt"/>): its id, time, credit code and the SHA-256 of the JWS text as held.
    /// </summary>
    public static PendingLeaf EntryOf(string jws)
    {
        if (!CompactJws.TryParse(jws, ReceiptCommand.MaxReceiptLength, out var parsed, out var malformed))
        {
            throw new LogAuditException($"the receipt is not a compact JWS: {malformed}");
        }

        try
        {
            return parsed.Type switch
            {
                Receipt.JwsType when ElicenceJson.Deserialize<Receipt>(parsed.Payload) is { Id: not null, Checked: not null } receipt =>
                    LogEntries.ForReceipt(new StoredReceipt(receipt.Id, "", jws, receipt)),
                BatchReceipt.JwsType when ElicenceJson.Deserialize<BatchReceipt>(parsed.Payload) is { Id: not null } batch =>
                    LogEntries.ForBatchReceipt(new StoredBatchReceipt(batch.Id, "", jws, batch)),
                _ => throw new LogAuditException($"the token (typ {parsed.Type ?? "(none)"}) is not a receipt ({Receipt.JwsType}) or batch receipt ({BatchReceipt.JwsType})"),
            };
        }
        catch (JsonException e)
        {
            throw new LogAuditException($"the receipt's payload is not a receipt: {e.Message}", e);
        }
    }

    private static long Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new InvalidDataException($"{What}: '{name}' is not a non-negative integer.");

    private static string String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{What}: '{name}' is not a string.");

    private static byte[] Base64(JsonElement root, string name) =>
        ProofHashes.TryDecode(String(root, name), out var bytes)
            ? bytes
            : throw new InvalidDataException($"{What}: '{name}' is not standard base64.");
}
