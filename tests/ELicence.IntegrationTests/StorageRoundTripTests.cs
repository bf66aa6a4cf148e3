using System.Globalization;
using System.Net;
using ELicence.Functions.Http;

namespace ELicence.IntegrationTests;

/// <summary>
/// The hot path's cost in Azure is its number of storage round trips (each several milliseconds there), counted by an
/// Azure SDK pipeline policy on the real clients and reported per request. These bounds fail the build if the path grows.
/// </summary>
[Collection(ServiceCollection.Name)]
public class StorageRoundTripTests(ServiceFixture service)
{
    /// <summary>
    /// Today's cost of a verification by credential: the API key row, the licence and permits (one query), the issued
    /// credential blob, the receipt blob, its two index rows and the licence's usage row. Issue 11 brings it to 3.
    /// </summary>
    private const int MaxPerVerification = 7;

    [Fact]
    public async Task A_verification_by_code_or_by_credential_stays_within_its_round_trips()
    {
        var code = await service.IssueAsync();
        var (_, _, credentialResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var credential = await credentialResponse.Content.ReadAsStringAsync();
        await VerifyAsync(new { creditCode = code }); // the caller is now recently seen

        var byCode = await VerifyAsync(new { creditCode = code });
        var byCredential = await VerifyAsync(new { credential });

        Assert.InRange(byCode, 1, MaxPerVerification);
        Assert.InRange(byCredential, 1, MaxPerVerification);
    }

    [Fact]
    public async Task The_count_is_per_request_and_an_answer_from_memory_counts_none()
    {
        var (_, _, refused) = await service.SendAsync(HttpMethod.Get, "/api/v1/status-lists/revocation/x", null);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode); // refused by its shape, before any storage call
        Assert.Equal("0", Assert.Single(refused.Headers.GetValues(HttpApi.StorageRoundTripsHeader)));
    }

    private async Task<int> VerifyAsync(object body)
    {
        var (status, _, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, body);
        Assert.Equal(HttpStatusCode.OK, status);
        return int.Parse(Assert.Single(response.Headers.GetValues(HttpApi.StorageRoundTripsHeader)), CultureInfo.InvariantCulture);
    }
}
