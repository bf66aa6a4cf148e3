using System.Text;
using System.Text.Json;
using ELicence.Core.Log;
using ELicence.Core.Problems;
using ELicence.Tlog;

namespace ELicence.OfflineVerifier;

/// <summary>
/// <c>elicence audit checkpoint|consistency|receipt|tiles …</c>: checks the transparency log using only what the service
/// publishes (checkpoint, note key, tiles, proofs) and Core/Log's verification code. The note key is pinned with
/// <c>--key</c>/<c>--key-file</c>; without one it is fetched from the service and printed so the auditor can pin it.
/// Prints the result as JSON; exit code 0 verified, 1 the log failed a check (the message names it), 2 bad usage or
/// nothing to check with (service unreachable, unreadable file).
/// </summary>
public static class AuditCommand
{
    private const string Usage = """
        usage: elicence audit checkpoint --url <base> [--key <vkey>|--key-file <file>] [--origin <origin>] [--save <file>]
               elicence audit consistency --url <base> --old <checkpoint file> [--new <checkpoint file>] [--key <vkey>|--key-file <file>] [--origin <origin>]
               elicence audit receipt <receipt.jwt|-> --proof <proof.json> [--url <base>] [--key <vkey>|--key-file <file>] [--origin <origin>]
               elicence audit tiles --url <base> [--key <vkey>|--key-file <file>] [--origin <origin>]
        """;

    public static async Task<int> RunAsync(string[] args, HttpClient http, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!AuditOptions.TryParse(args, out var options))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var log = options.Url is null ? null : new PublishedLog(http, options.Url);
        try
        {
            var (verifier, key) = await NoteKeyAsync(options, log, error, cancellationToken);
            var auditor = new LogAuditor(verifier, options.Origin ?? verifier.Name);   // tlog-checkpoint: the key name is the origin unless told otherwise
            object result = options.Command switch
            {
                "checkpoint" => await CheckpointAsync(options, key, auditor, log!, cancellationToken),
                "consistency" => await ConsistencyAsync(options, auditor, log!, cancellationToken),
                "receipt" => await ReceiptAsync(options, auditor, log, cancellationToken),
                _ => await TilesAsync(auditor, log!, cancellationToken),
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(result, VerifyCommand.Output));
            return 0;
        }
        catch (LogAuditException failure)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { Verified = false, Failure = failure.Message }, VerifyCommand.Output));
            await error.WriteLineAsync($"elicence: audit failed: {failure.Message}");
            return 1;
        }
        catch (Exception e) when (e is ProblemException or IOException or HttpRequestException or JsonException or InvalidDataException or UnauthorizedAccessException or TaskCanceledException)
        {
            await error.WriteLineAsync($"elicence: {e.Message}");
            return 2;
        }
    }

    private static async Task<object> CheckpointAsync(AuditOptions options, string key, LogAuditor auditor, PublishedLog log, CancellationToken cancellationToken)
    {
        var note = await log.CheckpointAsync(cancellationToken);
        var checkpoint = auditor.Open(note, log.Url(PublishedLog.LogPath + "checkpoint"));
        if (options.Save is { } file)
        {
            await File.WriteAllTextAsync(file, note, new UTF8Encoding(false), cancellationToken);
        }

        return new { Verified = true, checkpoint.Origin, TreeSize = checkpoint.Size, RootHash = LogAuditor.Root(checkpoint), Key = key, Saved = options.Save };
    }

    private static async Task<object> ConsistencyAsync(AuditOptions options, LogAuditor auditor, PublishedLog log, CancellationToken cancellationToken)
    {
        var older = auditor.Open(await ReadNoteAsync(options.Old!, cancellationToken), options.Old!);
        var newer = options.New is { } file
            ? auditor.Open(await ReadNoteAsync(file, cancellationToken), file)
            : await LiveAsync(auditor, log, cancellationToken);
        var proofHashes = await LogAuditor.CheckConsistencyAsync(older, newer, log, cancellationToken);
        return new
        {
            Verified = true,
            older.Origin,
            Old = new { TreeSize = older.Size, RootHash = LogAuditor.Root(older) },
            New = new { TreeSize = newer.Size, RootHash = LogAuditor.Root(newer) },
            ProofHashes = proofHashes,
        };
    }

    private static async Task<object> ReceiptAsync(AuditOptions options, LogAuditor auditor, PublishedLog? log, CancellationToken cancellationToken)
    {
        var jws = await ToolOptions.ReadInputAsync(options.Input!, cancellationToken);
        var proof = ReceiptProof.Parse(await File.ReadAllBytesAsync(options.Proof!, cancellationToken));
        var leaf = ReceiptProof.EntryOf(jws);
        if (!leaf.Entry.AsSpan().SequenceEqual(proof.Entry))
        {
            throw new LogAuditException($"the proof's entry is not this receipt's: rebuilt from the receipt it is {Encoding.UTF8.GetString(leaf.Entry)}, the log holds {Encoding.UTF8.GetString(proof.Entry)} (the receipt or the log entry was altered)");
        }

        var leafHash = MerkleHash.Leaf(leaf.Entry);
        if (!leafHash.AsSpan().SequenceEqual(proof.LeafHash))
        {
            throw new LogAuditException($"the proof's leafHash is not SHA-256(0x00 ‖ entry) = {Convert.ToBase64String(leafHash)}");
        }

        var checkpoint = auditor.Open(proof.Checkpoint, $"{options.Proof} (checkpoint)");
        if (checkpoint.Size != proof.TreeSize)
        {
            throw new LogAuditException($"the proof is for a tree of {proof.TreeSize} leaves but its checkpoint has {checkpoint.Size}");
        }

        if (!MerkleVerification.VerifyInclusion(proof.LeafIndex, proof.TreeSize, leafHash, proof.Hashes, checkpoint.RootHash))
        {
            throw new LogAuditException($"the inclusion proof of leaf {proof.LeafIndex} does not lead to the checkpoint's root {LogAuditor.Root(checkpoint)} at size {checkpoint.Size}");
        }

        Checkpoint? live = null;
        if (log is not null)
        {
            live = await LiveAsync(auditor, log, cancellationToken);
            await LogAuditor.CheckConsistencyAsync(checkpoint, live, log, cancellationToken);
        }

        return new
        {
            Verified = true,
            Leaf = leaf.Id,
            proof.LeafIndex,
            checkpoint.Origin,
            TreeSize = checkpoint.Size,
            RootHash = LogAuditor.Root(checkpoint),
            Live = live is null ? null : new { TreeSize = live.Size, RootHash = LogAuditor.Root(live) },
        };
    }

    /// <summary>
    /// Mirrors the live tree. A log serves partial tiles of its current size only, so one that grows during the check stops
    /// serving the partial tiles asked for: then the check starts again on the newer checkpoint, once it is shown to extend
    /// the first (a missing resource under an unchanged checkpoint is a failure).
    /// </summary>
    private static async Task<object> TilesAsync(LogAuditor auditor, PublishedLog log, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        var checkpoint = await LiveAsync(auditor, log, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var mirror = await LogAuditor.CheckMirrorAsync(checkpoint, log, cancellationToken);
                return new { Verified = true, checkpoint.Origin, mirror.TreeSize, RootHash = LogAuditor.Root(checkpoint), mirror.Resources };
            }
            catch (LogAuditException e) when (e.MissingPath is not null && attempt < Attempts)
            {
                var newer = await LiveAsync(auditor, log, cancellationToken);
                if (newer.Size == checkpoint.Size)
                {
                    throw;
                }

                await LogAuditor.CheckConsistencyAsync(checkpoint, newer, log, cancellationToken);
                checkpoint = newer;
            }
        }
    }

    private static async Task<Checkpoint> LiveAsync(LogAuditor auditor, PublishedLog log, CancellationToken cancellationToken) =>
        auditor.Open(await log.CheckpointAsync(cancellationToken), log.Url(PublishedLog.LogPath + "checkpoint"));

    /// <summary>The pinned key, or (first use) the one the service serves, announced so the auditor can pin it next time.</summary>
    private static async Task<(NoteVerifier Verifier, string Key)> NoteKeyAsync(AuditOptions options, PublishedLog? log, TextWriter error, CancellationToken cancellationToken)
    {
        var pinned = options.Key ?? (options.KeyFile is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null);
        if (pinned is not null)
        {
            return NoteVerifier.TryParse(pinned, out var verifier)
                ? (verifier!, pinned)
                : throw new InvalidDataException("The pinned key is not an Ed25519 note verifier key (name+hash+base64, c2sp.org/signed-note).");
        }

        if (log is null)
        {
            throw new InvalidDataException("A note key is needed to check the checkpoint: give --key, --key-file or --url.");
        }

        var served = await log.KeyAsync(cancellationToken);
        if (!NoteVerifier.TryParse(served, out var fetched))
        {
            throw new InvalidDataException($"{log.Url(PublishedLog.LogPath + "key")} does not serve an Ed25519 note verifier key.");
        }

        await error.WriteLineAsync($"elicence: no key pinned; trusting the log's key as served now: {served}");
        await error.WriteLineAsync("elicence: pin it for later audits with --key (or --key-file), so a swapped key is noticed.");
        return (fetched!, served);
    }

    private static async Task<string> ReadNoteAsync(string file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        return info.Exists && info.Length > SignedNote.MaxNoteBytes
            ? throw new InvalidDataException($"{file} is larger than a checkpoint can be.")
            : await File.ReadAllTextAsync(file, cancellationToken);
    }
}
