using System.Text.Json;
using ELicence.Core.Serialization;
using FsCheck.Fluent;
using ELicence.Jose;
using static ELicence.Core.UnitTests.Properties.PropertyRun;

namespace ELicence.Core.UnitTests.Properties;

/// <summary>
/// Every parser of caller input, on generated input: it answers, or refuses with a documented problem
/// (<see cref="ProblemException"/> of a stated type; for JSON bodies also the <see cref="JsonException"/> that HttpApi maps
/// to malformed-json or validation), and never throws anything else, which would be a 500.
/// At least 100,000 inputs per run in all (<see cref="Counts"/>); ELICENCE_PROPERTY_SCALE multiplies them.
/// </summary>
public class CallerInputPropertyTests
{
    /// <summary>How many inputs each property tries per unit of scale.</summary>
    internal static class Counts
    {
        public const int CreditCodes = 30_000;
        public const int CompactJws = 25_000;
        public const int Base64Url = 15_000;
        public const int ApiKeys = 10_000;
        public const int Verification = 8_000;
        public const int BodyEach = 2_000;
        public const int Bodies = BodyEach * 8;
        public const int IfMatch = 4_000;
        public const int IdempotencyKeys = 4_000;
        public const int RouteValues = 10_000;

        public const int Total = CreditCodes + CompactJws + Base64Url + ApiKeys + Verification + Bodies + IfMatch + IdempotencyKeys + RouteValues;
    }

    private static readonly string[] ValidCodes = [.. Enumerable.Range(1, 20).Select(i => CreditCodeAllocation.CodeFor(i * 7919, i % 2 == 0 ? EntityType.IndividualBusiness : EntityType.LimitedLiabilityCompany).Value)];

    [Fact]
    public void At_least_100000_inputs_are_tried_per_run()
    {
        Assert.True(Counts.Total >= 100_000, $"{Counts.Total}");
    }

    [Fact]
    public void A_credit_code_is_valid_only_in_its_one_canonical_form_and_never_throws()
    {
        var inputs = Gen.Frequency((3, Inputs.Around(ValidCodes)), (1, Inputs.CodeLike.Select(s => (string?)s)));

        var ran = Check(inputs, Counts.CreditCodes, input =>
        {
            var validation = CreditCode.Validate(input);
            if (validation.IsValid)
            {
                var value = validation.Code.Value.Value;
                Assert.Equal(CreditCode.Length, value.Length);
                Assert.DoesNotContain(value, c => !CreditCode.Alphabet.Contains(c, StringComparison.Ordinal));
                Assert.Equal(validation.Code, CreditCode.Validate(value).Code);
            }

            try
            {
                Assert.Equal(validation.Code, CreditCodeExceptionList.None.ParseField(input, "code"));
            }
            catch (ProblemException e)
            {
                Assert.False(validation.IsValid);
                Assert.Equal("code", Assert.Single(e.Errors).Field);
            }
        });

        Assert.Equal(Counts.CreditCodes * Scale, ran);
    }

    [Fact]
    public void A_compact_JWS_parses_only_in_its_canonical_form_and_parsing_never_throws()
    {
        var genuine = LicenceCredential.Sign(Builders.Licence(), new IssuerOptions(), SigningKey.Create(DateTimeOffset.UnixEpoch));
        var inputs = Gen.Frequency((3, Inputs.Around(genuine, "eyJhbGciOiJFZERTQSJ9.e30.AA")), (2, Inputs.TokenLike.Select(s => (string?)s)));

        var ran = Check(inputs, Counts.CompactJws, input =>
        {
            if (CompactJws.TryParse(input, out var jws, out var error))
            {
                Assert.Equal(input, Encoding.ASCII.GetString(jws.SigningInput) + "." + B64Url.Encode(jws.Signature));
                Assert.NotNull(jws.Algorithm);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });

        Assert.Equal(Counts.CompactJws * Scale, ran);
    }

    [Fact]
    public void Base64url_decodes_exactly_what_it_encodes_and_nothing_else()
    {
        var bytes = ArbMap.Default.GeneratorFor<byte[]>();

        var ran = Check(Gen.Zip(bytes, Inputs.Around("AAAA", "-w", "eyJhbGciOiJFZERTQSJ9")), Counts.Base64Url, pair =>
        {
            var (data, text) = pair;
            Assert.True(B64Url.TryDecode(B64Url.Encode(data), out var back));
            Assert.Equal(data, back);
            if (text is not null && B64Url.TryDecode(text, out var decoded))
            {
                Assert.Equal(text, B64Url.Encode(decoded));
            }
        });

        Assert.Equal(Counts.Base64Url * Scale, ran);
    }

    [Fact]
    public async Task An_API_key_authenticates_only_when_exact_and_only_a_well_formed_one_reaches_the_store()
    {
        var store = new InMemoryApiKeyStore();
        var keys = new ApiKeyService(store, new FakeTimeProvider());
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);

        var ran = Check(Inputs.Around(issued.Key, "elk_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf"), Counts.ApiKeys, input =>
        {
            var lookups = store.Lookups;
            var caller = keys.AuthenticateAsync(input, default).GetAwaiter().GetResult();

            Assert.Equal(input == issued.Key, caller is not null);
            Assert.Equal(ApiKeyService.TrySplit(input, out _, out _) ? lookups + 1 : lookups, store.Lookups);
        });

        Assert.Equal(Counts.ApiKeys * Scale, ran);
    }

    [Fact]
    public void Verification_of_any_credential_or_code_answers_or_refuses_with_a_validation_or_not_found_problem()
    {
        var h = new VerificationHarness();
        var genuine = h.Issue(Builders.Licence());
        var code = Builders.Licence().Code.Value;
        var inputs = Gen.Zip(
            Gen.Frequency((3, Inputs.Around(genuine)), (1, Inputs.TokenLike.Select(s => (string?)s))),
            Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Inputs.Around(code))));

        var ran = Check(inputs, Counts.Verification, pair =>
        {
            var (credential, creditCode) = pair;
            var receipts = h.Receipts.All.Count;
            try
            {
                var result = h.Service.VerifyAsync(VerificationHarness.Verifier, new VerificationRequest(credential, creditCode, "account-opening"), default).GetAwaiter().GetResult();
                Assert.NotEmpty(result.Reasons);
                Assert.Equal(receipts + 1, h.Receipts.All.Count);
            }
            catch (ProblemException e) when (e.Type == ProblemType.Validation || (e.Type == ProblemType.LicenceNotFound && creditCode is not null))
            {
                Assert.Equal(receipts, h.Receipts.All.Count);
            }
        });

        Assert.Equal(Counts.Verification * Scale, ran);
    }

    [Fact]
    public void Every_request_body_deserializes_and_validates_or_refuses_with_a_documented_problem()
    {
        var world = new World();
        var code = world.Licence.Code.Value;
        var ran = 0;

        ran += Body<LicenceApplicationRequest>(r => r.ToDetails(Builders.Today), ProblemType.Validation);
        ran += Body<AmendmentRequest>(r => r.Apply(world.Licence.Details, Builders.Today), [ProblemType.Validation], [.. LicenceApplicationRequest.MemberNames, "reason"]);
        ran += Body<VerificationRequest>(r => world.Verification.Service.VerifyAsync(VerificationHarness.Verifier, r, default).GetAwaiter().GetResult(), ProblemType.Validation, ProblemType.NotFound, ProblemType.LicenceNotFound);
        ran += Body<SuspensionRequest>(r => world.Actions.SuspendAsync(World.Registrar, code, r, null, default).GetAwaiter().GetResult(), LifecycleProblems);
        ran += Body<ReasonRequest>(r => world.Actions.ReinstateAsync(World.Registrar, code, r, null, default).GetAwaiter().GetResult(), LifecycleProblems);
        ran += Body<RevocationRequest>(r => world.Actions.RevokeAsync(World.Registrar, world.Disposable(), r, null, default).GetAwaiter().GetResult(), LifecycleProblems);
        ran += Body<PermitRequest>(r => world.Actions.AttachPermitAsync(World.Registrar, code, r, null, default).GetAwaiter().GetResult(), LifecycleProblems);
        ran += Body<ObjectionRequest>(r => world.Deregistration.LodgeObjectionAsync(code, r, default).GetAwaiter().GetResult(), LifecycleProblems);

        Assert.Equal(Counts.Bodies * Scale, ran);
    }

    [Fact]
    public void Any_If_Match_either_matches_or_is_refused_with_412_and_never_throws_otherwise()
    {
        var world = new World();
        var code = world.Licence.Code.Value;
        var n = 0;

        var ran = Check(Inputs.Around("\"etag-1\"", "W/\"1\"", "*", "W/\"datetime'2026-11-02T00%3A00%3A00Z'\""), Counts.IfMatch, ifMatch =>
        {
            var amendment = new AmendmentRequest("住所变更") { Changes = new Dictionary<string, JsonElement> { ["domicile"] = JsonSerializer.SerializeToElement($"阿图什市属性路 {Interlocked.Increment(ref n)} 号") } };
            OnlyProblems(() => world.Actions.AmendAsync(World.Registrar, code, amendment, ifMatch, default), ProblemType.PreconditionFailed, ProblemType.Conflict);
        });

        Assert.Equal(Counts.IfMatch * Scale, ran);
    }

    [Fact]
    public void Any_Idempotency_Key_is_accepted_as_visible_ASCII_or_refused_with_a_validation_problem()
    {
        var applications = new ApplicationService(new InMemoryApplicationStore(), new InMemoryIdempotencyStore(), new RecordingIssuanceQueue(), new FakeTimeProvider());
        var registrar = Caller.Registrar("registrar:x", "X");

        var ran = Check(Inputs.Around("walkthrough-1", "3f2b8c1e-7d4a-4e1b-9a0c-5d6e7f8a9b0c"), Counts.IdempotencyKeys, key =>
            OnlyProblems(() => applications.SubmitAsync(registrar, Builders.Application(), key, default), ProblemType.Validation));

        Assert.Equal(Counts.IdempotencyKeys * Scale, ran);
    }

    [Fact]
    public async Task Route_values_find_a_resource_or_answer_not_found_or_validation()
    {
        var world = new World();
        var code = world.Licence.Code.Value;
        var receipt = (await world.Verification.VerifyCodeAsync(code)).ReceiptId;
        var application = (await world.Applications.SubmitAsync(World.Registrar, Builders.Application(), null, default)).Id;
        var inputs = Gen.Zip(Inputs.Around(code, receipt, application, "revocation", "suspension", "0", "17"), Gen.Choose(0, 5));

        var ran = Check(inputs, Counts.RouteValues, pair =>
        {
            var (value, route) = pair;
            OnlyProblems(
                () => route switch
                {
                    0 => world.Queries.GetLicenceAsync(World.Registrar, value!, default),
                    1 => world.Queries.GetCredentialAsync(World.Registrar, value!, default),
                    2 => world.Queries.GetHistoryAsync(World.Registrar, value!, default),
                    3 => world.Queries.GetReceiptAsync(VerificationHarness.Verifier, value!, default),
                    4 => world.Applications.GetAsync(value!, default),
                    _ => world.StatusLists.GetPublishedAsync(value!, value!.Length % 2 == 0 ? "0" : value, default),
                },
                ProblemType.NotFound,
                ProblemType.Validation);
        });

        Assert.Equal(Counts.RouteValues * Scale, ran);
    }

    private static readonly ProblemType[] LifecycleProblems = [ProblemType.Validation, ProblemType.InvalidTransition, ProblemType.Conflict, ProblemType.NotFound, ProblemType.LicenceNotFound];

    /// <summary>Deserializes generated JSON into <typeparamref name="T"/> as HttpApi does, then hands it to its validation.</summary>
    private static int Body<T>(Action<T> validate, params ProblemType[] allowed)
        where T : class => Body(validate, allowed, typeof(T).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray());

    /// <param name="members">The member names the generated bodies use (an amendment's are an application's plus its reason).</param>
    private static int Body<T>(Action<T> validate, ProblemType[] allowed, string[] members)
        where T : class
    {
        return Check(Inputs.JsonFor(members), Counts.BodyEach, json =>
        {
            T? request;
            try
            {
                // The bytes of an HTTP body, as HttpApi reads them; one in seven with a byte that is never UTF-8.
                var bytes = Encoding.UTF8.GetBytes(json);
                if (bytes.Length > 0 && json.Length % 7 == 0)
                {
                    bytes[json.Length % bytes.Length] = 0xFF;
                }

                request = JsonSerializer.Deserialize<T>(bytes, RequestJson.Options);
            }
            catch (JsonException)
            {
                return; // HttpApi.ReadJsonAsync answers malformed-json or validation (the member named)
            }

            if (request is not null) // null: HttpApi answers malformed-json
            {
                OnlyProblems(() => validate(request), allowed);
            }
        });
    }

    /// <summary>The services over one set of fakes, with an issued licence.</summary>
    private sealed class World
    {
        public static readonly Caller Registrar = Caller.Registrar("registrar:x", "X");

        private int _disposables;

        public World()
        {
            Verification = new VerificationHarness();
            Licence = Verification.Register.Seed(Builders.Licence());
            Verification.StoreCredential(Licence);
            var keys = new FixedKeyRing(Verification.Ring);
            var time = new FakeTimeProvider(VerificationHarness.Now);
            var committer = new LicenceChangeCommitter(Verification.Register, Verification.Credentials, new RecordingStatusListQueue(), keys, Verification.Issuer, CreditCodeExceptionList.None, time);
            Actions = new RegistrarActions(committer, new InMemorySequenceAllocator(), Verification.Register);
            Deregistration = new SimplifiedDeregistration(Verification.Register, committer, new DeregistrationOptions(), CreditCodeExceptionList.None);
            Queries = new LicenceQueries(Verification.Register, Verification.Credentials, Verification.Receipts, keys, Verification.Issuer, CreditCodeExceptionList.None);
            Applications = new ApplicationService(new InMemoryApplicationStore(), new InMemoryIdempotencyStore(), new RecordingIssuanceQueue(), time);
            StatusLists = new StatusListService(Verification.Register, new ScriptedStatusListStore(), new RecordingStatusListQueue(), keys, Verification.Issuer, new StatusListOptions(), time);
        }

        public VerificationHarness Verification { get; }

        public Licence Licence { get; }

        public RegistrarActions Actions { get; }

        public SimplifiedDeregistration Deregistration { get; }

        public LicenceQueries Queries { get; }

        public ApplicationService Applications { get; }

        public StatusListService StatusLists { get; }

        /// <summary>A fresh active licence for an action that ends one (a revocation), so each input meets an active licence.</summary>
        public string Disposable() => Verification.Register.Seed(Builders.Licence(1_000 + Interlocked.Increment(ref _disposables))).Code.Value;
    }
}
