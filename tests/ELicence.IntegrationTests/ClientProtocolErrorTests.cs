using ELicence.Functions.Http;
using Microsoft.Extensions.Logging;

namespace ELicence.IntegrationTests;

/// <summary>
/// A client that breaks HTTP below the API — a short body, a bad chunk, a body dribbled too slowly, a connection reset —
/// gets a 400, 408 or 413 problem (a page on the public form), never a 500, and the service logs it below Error: a client
/// must not be able to raise alerts on demand. Sent over raw sockets against the real host.
/// </summary>
[Collection(ServiceCollection.Name)]
public class ClientProtocolErrorTests(ServiceFixture service)
{
    private Uri Server => service.Http.BaseAddress!;

    private string[] Json(params string[] more) => ["X-API-Key: " + service.RegistrarKey, "Content-Type: application/json", .. more];

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_never_a_500_and_is_logged_below_error()
    {
        var mark = service.Logs.Mark();

        // The client ends its side after 8 of 100 bytes. Kestrel takes the end of the stream as the client going away and
        // closes the connection; if the guard sees the short body first it answers 400. Either way: no 500, no Error entry.
        var response = await RawHttp.SendBytesAsync(Server, RawHttp.Request(Server, "POST /api/v1/applications HTTP/1.1", Json("Content-Length: 100"), "{\"name\":"u8.ToArray()), closeSending: true);

        if (response is not null)
        {
            AssertProblem(response, 400, "bad-request");
        }

        await AssertHandledBelowErrorAsync(mark, "POST /api/v1/applications");
    }

    [Fact]
    public async Task An_invalid_chunk_size_is_a_400_problem_logged_below_error()
    {
        var mark = service.Logs.Mark();

        var response = await RawHttp.SendBytesAsync(Server, RawHttp.Request(Server, "POST /api/v1/applications HTTP/1.1", Json("Transfer-Encoding: chunked"), "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray()));

        AssertProblem(response, 400, "bad-request");
        AssertLoggedBelowError(mark, "Client protocol error in POST /api/v1/applications");
    }

    [Fact]
    public async Task A_body_sent_slower_than_the_minimum_data_rate_is_a_408_problem_logged_below_error()
    {
        var mark = service.Logs.Mark();

        // One byte of a hundred, then nothing: the server gives up after its grace period (seconds) and answers.
        var response = await RawHttp.SendBytesAsync(Server, RawHttp.Request(Server, "POST /api/v1/applications HTTP/1.1", Json("Content-Length: 100"), "{"u8.ToArray()));

        AssertProblem(response, 408, "request-timeout");
        AssertLoggedBelowError(mark, "Client protocol error in POST /api/v1/applications");
    }

    [Fact]
    public async Task A_client_that_resets_the_connection_mid_body_leaves_no_error_entry()
    {
        var mark = service.Logs.Mark();

        await RawHttp.SendAndResetMidBodyAsync(Server, RawHttp.Request(Server, "POST /api/v1/applications HTTP/1.1", Json("Content-Length: 10000", "Expect: 100-continue")), Encoding.ASCII.GetBytes("{\"name\":\"" + new string('a', 200)));

        var entry = await AssertHandledBelowErrorAsync(mark, "POST /api/v1/applications");
        Assert.Null(entry.Exception); // no stack trace for a client that went away
    }

    [Fact]
    public async Task A_multipart_upload_cut_off_before_its_last_boundary_is_a_400_page_not_a_500()
    {
        var mark = service.Logs.Mark();
        var body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 and then noth"u8.ToArray();

        var response = await RawHttp.SendBytesAsync(Server, RawHttp.Request(Server, "POST /verify HTTP/1.1", ["Content-Type: multipart/form-data; boundary=b0undary", $"Content-Length: {body.Length}"], body));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("text/html", response.Header("Content-Type"), StringComparison.Ordinal);
        AssertNoError(mark);
    }

    [Fact]
    public async Task An_upload_shorter_than_its_content_length_is_never_a_500_page_and_is_logged_below_error()
    {
        var mark = service.Logs.Mark();

        var response = await RawHttp.SendBytesAsync(Server, RawHttp.Request(Server, "POST /verify HTTP/1.1", ["Content-Type: application/x-www-form-urlencoded", "Content-Length: 500"], "credential=eyJ"u8.ToArray()), closeSending: true);

        if (response is not null)
        {
            Assert.Equal(400, response.Status);
            Assert.StartsWith("text/html", response.Header("Content-Type"), StringComparison.Ordinal);
        }

        await AssertHandledBelowErrorAsync(mark, "POST /verify");
    }

    [Theory]
    [InlineData("/api/v1/applications", "application/json")]
    [InlineData("/verify", "application/x-www-form-urlencoded")]
    public async Task A_compressed_body_is_refused_with_415_and_never_inflated(string path, string contentType)
    {
        var gzip = new MemoryStream();
        using (var compressor = new System.IO.Compression.GZipStream(gzip, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write("{}"u8);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(gzip.ToArray()) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Add("X-API-Key", service.RegistrarKey);

        using var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());
    }

    private static void AssertProblem(RawResponse response, int status, string type)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith(ApiResults.ProblemContentType, response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("urn:elicence:problem:" + type, response.Json().GetProperty("type").GetString());
    }

    /// <summary>The guard's entry for a request whose answer may never reach the client: below Error, and no Error beside it.</summary>
    private async Task<CapturedLog> AssertHandledBelowErrorAsync(long mark, string request)
    {
        var entries = await Eventually.PollAsync(
            () => Task.FromResult(service.Logs.Since(mark)),
            logged => logged.Any(e => e.Category == typeof(HttpApi).FullName && e.Message.Contains(request, StringComparison.Ordinal)),
            "the guard's entry for " + request);
        var entry = entries.First(e => e.Category == typeof(HttpApi).FullName && e.Message.Contains(request, StringComparison.Ordinal));
        Assert.True(entry.Level < LogLevel.Warning, $"{entry.Level}: {entry.Message}");
        AssertNoError(mark);
        return entry;
    }

    /// <summary>The guard wrote its entry for the request at Information, and nothing in the HTTP pipeline wrote an Error.</summary>
    private void AssertLoggedBelowError(long mark, string expected)
    {
        var entry = Assert.Single(service.Logs.Since(mark), e => e.Message.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, entry.Level);
        AssertNoError(mark);
    }

    private void AssertNoError(long mark) =>
        Assert.DoesNotContain(service.Logs.Since(mark), e => e.Level >= LogLevel.Error && (e.Category.StartsWith("ELicence.Functions", StringComparison.Ordinal)
            || e.Category.StartsWith("ELicence.LocalHost", StringComparison.Ordinal) || e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)));
}
