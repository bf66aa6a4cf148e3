using ELicence.Core.Holders;
using ELicence.Core.Serialization;
using ELicence.Core.Text;
using ELicence.Core.Webhooks;

namespace ELicence.Core.UnitTests;

/// <summary>One decoder for every body: invalid UTF-8 is a 400 naming the member, never stored as U+FFFD.</summary>
public class RequestUtf8Tests
{
    private static byte[] Body(string before, byte[] bad, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];

    private static readonly byte[] Invalid = [0xC3, 0x28, 0xA9]; // a lead byte without its continuation, then a stray continuation

    [Fact]
    public void An_amendment_with_invalid_utf8_is_refused_naming_the_field_before_anything_is_merged()
    {
        var body = Body("{\"reason\":\"更正\",\"name\":\"A", Invalid, "B\"}");

        var problem = Assert.Throws<ProblemException>(() => RequestJson.Read<AmendmentRequest>(body));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal("name", Assert.Single(problem.Errors).Field);
        Assert.Contains("not valid UTF-8", problem.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_nested_member_or_an_array_item_names_its_path()
    {
        var nested = Assert.Throws<ProblemException>(() => RequestJson.Read<LicenceApplicationRequest>(Body("{\"english\":{\"name\":\"", Invalid, "\"}}")));
        var item = Assert.Throws<ProblemException>(() => RequestJson.Read<NewAgentRequest>(Body("{\"name\":\"x\",\"scopes\":[\"sign\",\"", Invalid, "\"]}")));

        Assert.Equal("english.name", Assert.Single(nested.Errors).Field);
        Assert.Equal("scopes[1]", Assert.Single(item.Errors).Field);
    }

    [Fact]
    public void Invalid_utf8_outside_any_string_is_malformed_json()
    {
        var problem = Assert.Throws<ProblemException>(() => RequestJson.Read<NewWebhookRequest>(Body("{\"url\":\"https://a.example/\",", Invalid, "}")));

        Assert.Equal(ProblemType.MalformedJson, problem.Type);
        Assert.Contains("not valid UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_an_amendment_is_refused_naming_the_field()
    {
        var request = RequestJson.Read<AmendmentRequest>("{\"reason\":\"更正\",\"name\":\"A\\ud800B\"}"u8.ToArray());

        var problem = Assert.Throws<ProblemException>(() => request.Validate());

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal("name", Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public void Valid_utf8_of_every_plane_passes_unchanged()
    {
        var request = RequestJson.Read<AmendmentRequest>(Encoding.UTF8.GetBytes("{\"reason\":\"更正 𠀋 é\",\"name\":\"阿图什市𠀋果业有限公司\"}"));

        Assert.Equal("更正 𠀋 é", request.Reason);
        Assert.Equal("阿图什市𠀋果业有限公司", request.Changes!["name"].GetString());
    }

    [Fact]
    public void The_strict_decoder_never_substitutes_a_replacement_character()
    {
        Assert.Equal(1, StrictUtf8.FirstInvalidByte([0x41, 0xFF, 0x42]));
        Assert.Null(StrictUtf8.FirstInvalidByte("A\uFFFDB"u8));
        Assert.Throws<DecoderFallbackException>(() => StrictUtf8.Encoding.GetString([0x41, 0xC3]));
        Assert.Throws<EncoderFallbackException>(() => StrictUtf8.Encoding.GetBytes("A\ud800B"));
    }
}
