using System.Text.Json;
using System.Text.Json.Serialization;

namespace ELicence.OpenId4Vc;

/// <summary>JSON as the OpenID4VC specifications write it: snake_case members, absent rather than null.</summary>
public static class OpenId4VcJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
