using ELicence.Core.Signatures;

namespace ELicence.Core.UnitTests;

/// <summary>Holder keys: owner and administrators may everything, an agent its scopes until its expiry; digests are 32 bytes exactly.</summary>
public class HolderScopeTests
{
    private static readonly CreditCode Own = CreditCodeAllocation.CodeFor(1, EntityType.IndividualBusiness);
    private static readonly CreditCode Other = CreditCodeAllocation.CodeFor(2, EntityType.IndividualBusiness);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly ApiKeyService _keys;

    public HolderScopeTests() => _keys = new ApiKeyService(new InMemoryApiKeyStore(), _time);

    [Theory]
    [InlineData(HolderKind.Owner)]
    [InlineData(HolderKind.Administrator)]
    public async Task The_owner_and_administrators_may_every_scope_of_their_own_licence_only(HolderKind kind)
    {
        var caller = await AuthenticateAsync(new HolderKeySpec(Own, "李四", kind, [], null));

        foreach (var scope in Enum.GetValues<HolderScope>())
        {
            caller.EnsureHolderMay(Own, scope);
            Assert.Equal(ProblemType.Forbidden, Assert.Throws<ProblemException>(() => caller.EnsureHolderMay(Other, scope)).Type);
        }

        Assert.Equal("李四", caller.Name);
        Assert.Equal(kind, caller.HolderKind);
    }

    [Fact]
    public async Task An_agent_may_only_its_scopes_and_the_refusal_names_the_missing_one()
    {
        var caller = await AuthenticateAsync(new HolderKeySpec(Own, "王五", HolderKind.Agent, [HolderScope.Download, HolderScope.ViewUsage], _time.GetUtcNow().AddDays(1)));

        caller.EnsureHolderMay(Own, HolderScope.Download);
        caller.EnsureHolderMay(Own, HolderScope.ViewUsage);
        var refused = Assert.Throws<ProblemException>(() => caller.EnsureHolderMay(Own, HolderScope.Sign));
        Assert.Equal(ProblemType.Forbidden, refused.Type);
        Assert.Equal("sign", refused.Extensions["missingScope"]);
        Assert.Equal("present", Assert.Throws<ProblemException>(() => caller.EnsureHolderMay(Own, HolderScope.Present)).Extensions["missingScope"]);
    }

    [Fact]
    public async Task Registrars_and_verifiers_are_no_holders()
    {
        var registrar = await _keys.AuthenticateAsync((await _keys.CreateAsync(Role.Registrar, "registrar:x", "X", null, default)).Key, default);

        Assert.Throws<ProblemException>(() => registrar!.EnsureHolderMay(Own, HolderScope.Download));
        Assert.Throws<ProblemException>(() => Caller.Verifier(Builders.Bank.Id, "Bank", VerifierKind.Bank).EnsureHolderMay(Own, HolderScope.ViewUsage));
    }

    [Fact]
    public async Task An_agent_key_authenticates_until_its_expiry_and_never_after()
    {
        var issued = await _keys.CreateHolderKeyAsync(new HolderKeySpec(Own, "赵六", HolderKind.Agent, [HolderScope.Present], _time.GetUtcNow().AddHours(1)), default);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await _keys.AuthenticateAsync(issued.Key, default));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _keys.AuthenticateAsync(issued.Key, default));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", true)]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8", true)]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze9", false)]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=", false)]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrz+8", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_digest_is_32_bytes_of_hex_or_canonical_base64url(string? digest, bool accepted)
    {
        var errors = new List<FieldError>();

        var parsed = LicenceSignature.ParseDigest(errors, digest);

        Assert.Equal(accepted, parsed is { Length: 32 });
        Assert.Equal(accepted, errors.Count == 0);
    }

    private async Task<Caller> AuthenticateAsync(HolderKeySpec spec) =>
        (await _keys.AuthenticateAsync((await _keys.CreateHolderKeyAsync(spec, default)).Key, default))!;
}
