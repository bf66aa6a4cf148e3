namespace ELicence.Core.UnitTests;

/// <summary>Reads, each limited to what its caller may see.</summary>
public class LicenceQueriesTests
{
    private readonly InMemoryRegister _register = new();

    [Fact]
    public async Task A_holder_reads_its_own_licence_and_history_but_not_another_and_a_verifier_none()
    {
        var mine = _register.Seed(LicenceStatus.Active, sequence: 1);
        var theirs = _register.Seed(LicenceStatus.Active, sequence: 2);
        var holder = Caller.Holder("holder:1", "Holder", mine.Code);

        Assert.Equal(mine.Code, (await _register.Queries.GetLicenceAsync(holder, mine.Code.Value, default)).Code);
        await _register.Queries.GetHistoryAsync(holder, mine.Code.Value, default);
        var other = await Assert.ThrowsAsync<ProblemException>(() => _register.Queries.GetLicenceAsync(holder, theirs.Code.Value, default));
        var verifier = await Assert.ThrowsAsync<ProblemException>(() => _register.Queries.GetPermitsAsync(Caller.Verifier("verifier:a", "A", VerifierKind.Bank), mine.Code.Value, default));

        Assert.Equal(ProblemType.Forbidden, other.Type);
        Assert.Equal(ProblemType.Forbidden, verifier.Type);
    }

    [Fact]
    public async Task A_credential_lost_between_commit_and_write_is_signed_again_identically_when_fetched()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var signed = LicenceCredential.Sign(licence, _register.Issuer, _register.Keys.Ring.Signing);

        var fetched = await _register.Queries.GetCredentialAsync(InMemoryRegister.Registrar, licence.Code.Value, default);

        Assert.Equal(signed, fetched);
        Assert.Equal(signed, await _register.Credentials.FindAsync(licence.Code, licence.Version, default));
    }

    [Fact]
    public async Task A_receipt_is_the_owning_verifiers_and_the_registrars_only_and_another_verifier_learns_nothing()
    {
        var receipt = new Receipt(_register.Issuer.Id, Receipt.NewId(), 0, null, DateTimeOffset.UnixEpoch, new ReceiptVerifier("verifier:a", "A", null), null,
            new ReceiptTarget("credit-code", null, null, null, null, null), false, [], null);
        await _register.Receipts.SaveAsync(new StoredReceipt(receipt.Id, "verifier:a", receipt.Sign(_register.Keys.Ring.Signing), receipt), default);

        Assert.Equal(receipt.Id, (await _register.Queries.GetReceiptAsync(Caller.Verifier("verifier:a", "A", VerifierKind.Bank), receipt.Id, default)).Id);
        Assert.Equal(receipt.Id, (await _register.Queries.GetReceiptAsync(InMemoryRegister.Registrar, receipt.Id, default)).Id);
        var other = await Assert.ThrowsAsync<ProblemException>(() => _register.Queries.GetReceiptAsync(Caller.Verifier("verifier:b", "B", VerifierKind.Bank), receipt.Id, default));
        var missing = await Assert.ThrowsAsync<ProblemException>(() => _register.Queries.GetReceiptAsync(InMemoryRegister.Registrar, Receipt.NewId(), default));
        var holder = await Assert.ThrowsAsync<ProblemException>(() => _register.Queries.GetReceiptAsync(Caller.Holder("holder:1", "H", Builders.Licence().Code), receipt.Id, default));

        Assert.Equal(ProblemType.NotFound, other.Type); // its existence is not theirs to know
        Assert.Equal(ProblemType.NotFound, missing.Type);
        Assert.Equal(ProblemType.Forbidden, holder.Type);
    }
}
