using ELicence.Core.Callers;
using ELicence.Core.Receipts;

namespace ELicence.IntegrationTests;

/// <summary>
/// The stores never let a value that is not theirs address a table entity or a blob (docs/design.md, "Keys from caller input"):
/// the Azurite-backed stores answer "absent" or refuse, instead of a storage error that would surface as a 500.
/// </summary>
[Collection(ServiceCollection.Name)]
public class StorageKeyTests(ServiceFixture service)
{
    public static TheoryData<string> HostileKeys => new()
    {
        "abcd/efghijklmno",
        "..\\..\\x",
        "a#b",
        "a?b",
        "a'b",
        "x') or (PartitionKey ne '",
        "a\u0000b",
        "a\nb",
        "",
        new string('a', 2000),
    };

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public async Task The_API_key_store_answers_absent_for_an_id_that_is_not_a_table_key(string keyId)
    {
        Assert.Null(await service.Services.GetRequiredService<IApiKeyStore>().FindAsync(keyId, default));
    }

    [Theory]
    [MemberData(nameof(HostileKeys))]
    [InlineData("rcpt_../../keys/keyring")]
    [InlineData("../keys/keyring.json#")]
    public async Task The_receipt_store_answers_absent_for_an_id_that_is_not_a_receipt_id(string id)
    {
        Assert.Null(await service.Services.GetRequiredService<IReceiptStore>().FindAsync(id, default));
    }

    [Theory]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData("a\u0001b")]
    public async Task The_sequence_allocator_refuses_a_claimant_that_is_not_a_table_key(string claimant)
    {
        var allocator = service.Services.GetRequiredService<ISequenceAllocator>();

        await Assert.ThrowsAsync<ArgumentException>(() => allocator.AllocateAsync(Sequences.StatusListIndices, claimant, default));
    }

    [Fact]
    public async Task The_sequence_allocator_keeps_a_version_claimant_with_a_slash()
    {
        var allocator = service.Services.GetRequiredService<ISequenceAllocator>();
        var claimant = $"91653001MA{Guid.NewGuid():N}"[..18] + "/v2";

        var first = await allocator.AllocateAsync(Sequences.StatusListIndices, claimant, default);

        Assert.Equal(first, await allocator.AllocateAsync(Sequences.StatusListIndices, claimant, default));
    }
}
