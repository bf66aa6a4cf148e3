using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Core.Register;

/// <summary>What the search index holds for one licence: enough to match, filter, rank and show a hit without another read.</summary>
public sealed record IndexedLicence(string CreditCode, string Name, string? NameEn, IReadOnlyList<string> FormerNames, EntityType EntityType, LicenceStatus Status)
{
    public static IndexedLicence Of(PublicRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.CreditCode, record.Name, record.NameEn, record.FormerNames, record.EntityType, record.Status);
    }

    /// <summary>Every term the licence is found by: the terms of each of its names and its code fragments.</summary>
    public IReadOnlyList<string> Terms() =>
        [.. SearchableNames().SelectMany(n => RegisterText.NameTerms(n.Name)).Concat(RegisterText.CodeTerms(CreditCode)).Distinct(StringComparer.Ordinal)];

    /// <summary>Every name the licence can be found by: current ones first, then former ones.</summary>
    public IEnumerable<(string Name, bool Former)> SearchableNames()
    {
        yield return (Name, false);
        if (NameEn is not null)
        {
            yield return (NameEn, false);
        }

        foreach (var name in FormerNames)
        {
            yield return (name, true);
        }
    }

    /// <summary>Value equality over the names too (records compare lists by reference).</summary>
    public bool SameAs(IndexedLicence? other) => other is not null && ElicenceJson.Serialize(this) == ElicenceJson.Serialize(other);
}

/// <summary>The licences under one term, read up to a cap: <see cref="Complete"/> is false when the term has more.</summary>
public sealed record TermPostings(IReadOnlyList<IndexedLicence> Licences, bool Complete);

/// <summary>
/// The register's search index: one row per (term, licence), partitioned by term so that a query is a few partition
/// reads and never a scan; plus one mark per licence saying what its rows were last written from.
/// </summary>
public interface IRegisterIndex
{
    Task<IndexedLicence?> FindMarkAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Upserts the licence's row under every term, then its mark. Repeatable.</summary>
    Task WriteAsync(IndexedLicence licence, IReadOnlyList<string> terms, CancellationToken cancellationToken);

    /// <summary>The licences under <paramref name="term"/>, at most <paramref name="cap"/>.</summary>
    Task<TermPostings> ReadTermAsync(string term, int cap, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps the search index in step with the licences, driven by the licence-event outbox (at least once, per licence in
/// order). It always indexes the licence as it stands now, so a repeated or late notice is harmless; and it writes again
/// when the licence changed while it wrote, so two handlers racing on one licence end with the newer state.
/// </summary>
public sealed class RegisterIndexer(ILicenceStore licences, IRegisterIndex index) : ILicenceEventSubscriber
{
    private const int MaxRounds = 5;

    public string Name => "register-index";

    public Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return IndexAsync(notice.Code, cancellationToken);
    }

    public async Task IndexAsync(CreditCode code, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var current = await licences.FindCurrentAsync(code, cancellationToken);
            if (current is null)
            {
                return;
            }

            var entry = IndexedLicence.Of(PublicRecord.Of(current, await licences.FindVersionsAsync(code, cancellationToken)));
            // After a race (round > 0) rows of an older state may have landed after the mark: write them all again.
            if (round > 0 || !entry.SameAs(await index.FindMarkAsync(code, cancellationToken)))
            {
                await index.WriteAsync(entry, entry.Terms(), cancellationToken);
            }

            if ((await licences.FindCurrentAsync(code, cancellationToken))?.ETag == current.ETag)
            {
                return;
            }
        }

        throw new InvalidOperationException($"Licence {code} kept changing while it was indexed; the outbox will retry.");
    }
}
