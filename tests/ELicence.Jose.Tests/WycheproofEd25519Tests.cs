using System.Text.Json;
using ELicence.Jose;

namespace ELicence.Jose.Tests;

/// <summary>
/// Ed25519 verification against Project Wycheproof's vectors (C2SP/wycheproof, testvectors_v1/ed25519_test.json,
/// Apache License 2.0: see testdata/wycheproof/LICENSE and README.md). They probe malleability (S ≥ L), non-canonical
/// encodings of R and of the key, truncated and padded signatures, small-order points and arithmetic overflows.
/// Ed25519 has no "acceptable" results there: each vector is valid or invalid, and <see cref="Ed25519.Verify"/> must agree.
/// </summary>
/// <remarks>
/// The vectors are kept in the repository (tests/ELicence.Jose.Tests/testdata/wycheproof) so a clean clone runs them;
/// the copy in the shared folder beside the repository (../shared/testdata/wycheproof), where there is one, must be the same file.
/// A missing file fails the test: it never skips.
/// </remarks>
public class WycheproofEd25519Tests
{
    private const string RepositoryCopy = "tests/ELicence.Jose.Tests/testdata/wycheproof/ed25519_test.json";
    private const string SharedCopy = "../shared/testdata/wycheproof/ed25519_test.json";

    public static TheoryData<int, string, string, string, string, string> Vectors()
    {
        var data = new TheoryData<int, string, string, string, string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(VectorFile()));
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var publicKey = group.GetProperty("publicKey").GetProperty("pk").GetString()!;
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                data.Add(
                    test.GetProperty("tcId").GetInt32(),
                    publicKey,
                    test.GetProperty("msg").GetString()!,
                    test.GetProperty("sig").GetString()!,
                    test.GetProperty("result").GetString()!,
                    string.Join(",", test.GetProperty("flags").EnumerateArray().Select(f => f.GetString())) + " " + test.GetProperty("comment").GetString());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_agrees_with_every_Wycheproof_vector(int tcId, string publicKey, string message, string signature, string result, string what)
    {
        var accepted = Ed25519.Verify(Convert.FromHexString(publicKey), Convert.FromHexString(message), Convert.FromHexString(signature));

        Assert.True(result is "valid" or "invalid", $"tcId {tcId}: unexpected result '{result}'");
        Assert.True(accepted == (result == "valid"), $"tcId {tcId} ({what}): expected {result}, Verify said {(accepted ? "valid" : "invalid")}");
    }

    [Fact]
    public void The_vector_file_is_whole_and_the_shared_copy_where_present_is_the_same()
    {
        var file = VectorFile();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var tests = doc.RootElement.GetProperty("testGroups").EnumerateArray().SelectMany(g => g.GetProperty("tests").EnumerateArray()).ToList();

        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), tests.Count);
        Assert.Equal(151, tests.Count);
        Assert.Contains(tests, t => t.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "SignatureMalleability"));
        var shared = Path.Combine(RepositoryRoot(), SharedCopy);
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(file));
        }
    }

    /// <summary>The vector file in the repository; a missing file is a failure, never a skip.</summary>
    private static string VectorFile()
    {
        var path = Path.Combine(RepositoryRoot(), RepositoryCopy);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The Wycheproof vectors are missing: {path}. Copy them from {SharedCopy} (see its README).", path);
    }

    /// <summary>The folder holding ELicence.sln, found by walking up from the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ELicence.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ELicence.sln above {AppContext.BaseDirectory}.");
    }
}
