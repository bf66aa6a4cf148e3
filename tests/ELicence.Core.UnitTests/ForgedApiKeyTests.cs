namespace ELicence.Core.UnitTests;

/// <summary>A key id becomes a Table partition key: a key of the wrong shape is refused before storage is asked anything.</summary>
public class ForgedApiKeyTests
{
    private const string ValidSecret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf"; // 43 base64url characters without '_'

    public static TheoryData<string> MalformedKeys => new()
    {
        "elk_abcd/efghijklmno_x",                         // the reported forgery: '/' in the key id
        "elk_abcd/efghijklmno_" + ValidSecret,
        "elk_0123456789abcde/_" + ValidSecret,
        "elk_0123456789abcde#_" + ValidSecret,
        "elk_0123456789abcde?_" + ValidSecret,
        "elk_0123456789abcd\\e_" + ValidSecret,
        "elk_0123456789abcd'e_" + ValidSecret,            // OData quote
        "elk_0123456789abcd\"e_" + ValidSecret,
        "elk_0123456789ABCDEF_" + ValidSecret,            // upper-case hex is not what CreateAsync makes
        "elk_0123456789abcdeg_" + ValidSecret,            // not hex
        "elk_0123456789abcd\u00e9f_" + ValidSecret,       // non-ASCII
        "elk_0123456789abcd\u0000f_" + ValidSecret,       // control character
        "elk_0123456789abcd f_" + ValidSecret,
        "elk_0123456789abcdef0_" + ValidSecret,           // 17-character id
        "elk_0123456789abcde_" + ValidSecret,             // 15-character id
        "elk_0123456789abcdef_" + ValidSecret[..^1],      // short secret
        "elk_0123456789abcdef_" + ValidSecret + "A",      // long secret
        "elk_0123456789abcdef_" + ValidSecret[..^1] + "_", // '_' in the secret
        "elk_0123456789abcdef_" + ValidSecret[..^1] + "/",
        "elk_0123456789abcdef_" + ValidSecret[..^1] + "=",
        "elk_0123456789abcdef_" + ValidSecret[..^1] + "+",
        "elk_0123456789abcdef_" + ValidSecret[..^1] + "\n",
        "elk_0123456789abcdef-" + ValidSecret,            // wrong separator
        "ELK_0123456789abcdef_" + ValidSecret,            // wrong prefix case
        " elk_0123456789abcdef_" + ValidSecret[1..],      // leading space
        "elk_0123456789abcdef_nonsense",
        "elk_0000000000000000_nonsense",
        "elk_0123456789abcdef_",
        "elk__" + ValidSecret,
        "elk_",
        "elk",
        "",
        "Bearer " + ValidSecret,
        new string('a', 10_000),
        "elk_" + new string('0', 16) + "_" + new string('A', 10_000),
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_key_is_refused_without_a_storage_lookup(string presented)
    {
        var store = new InMemoryApiKeyStore();
        var keys = new ApiKeyService(store, new FakeTimeProvider());

        Assert.Null(await keys.AuthenticateAsync(presented, default));
        Assert.Equal(0, store.Lookups);
    }

    [Fact]
    public async Task A_well_formed_key_is_looked_up_once_and_a_wrong_secret_fails_after_the_lookup()
    {
        var store = new InMemoryApiKeyStore();
        var keys = new ApiKeyService(store, new FakeTimeProvider());
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        var wrongSecret = $"elk_{issued.KeyId}_{ValidSecret}";

        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
        Assert.Null(await keys.AuthenticateAsync(wrongSecret, default));
        Assert.Equal(2, store.Lookups);
    }

    [Fact]
    public async Task Every_created_key_has_the_shape_that_authentication_requires()
    {
        var keys = new ApiKeyService(new InMemoryApiKeyStore(), new FakeTimeProvider());
        for (var i = 0; i < 200; i++)
        {
            var issued = await keys.CreateAsync(Role.Registrar, "registrar:x", "X", null, default);

            Assert.True(ApiKeyService.TrySplit(issued.Key, out var keyId, out _), issued.Key);
            Assert.Equal(issued.KeyId, keyId);
        }
    }
}
