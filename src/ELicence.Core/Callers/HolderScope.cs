namespace ELicence.Core.Callers;
/// <summary>What a holder key may do with its licence. The owner and administrators may do all of it.</summary>
public enum HolderScope { Download, Present, Sign, ViewUsage, Report }
