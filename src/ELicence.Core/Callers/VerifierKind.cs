namespace ELicence.Core.Callers;

/// <summary>What kind of organisation relies on licences; receipts carry it so an auditor sees who checked.</summary>
public enum VerifierKind
{
    Bank,
    TenderingPlatform,
    Government,
    Other,
}
