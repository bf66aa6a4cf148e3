namespace ELicence.Documents.Pages.Verification;

/// <summary>What the public verifier's pages say about the site: whose register it is and the limits of its forms.</summary>
/// <param name="AuthorityName">The registration authority in Chinese, in the header.</param>
/// <param name="AuthorityNameEn">The same in English, for every other language.</param>
public sealed record VerifierSite(string AuthorityName, string AuthorityNameEn, int MinQueryLength, int MaxQueryLength, int MaxUploadBytes);
