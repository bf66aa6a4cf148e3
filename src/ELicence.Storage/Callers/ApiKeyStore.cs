using ELicence.Core.Verifiers;

namespace ELicence.Storage.Callers;

public sealed class ApiKeyStore(StorageClients storage) : IApiKeyStore
{
    private const string Row = "key";
    private readonly TableClient _table = storage.Table(StorageNames.ApiKeysTable);

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        // ApiKeyService checks the key's shape first; this keeps a forged id from ever addressing the table.
        if (!TableExtensions.IsKeySafe(keyId))
        {
            return null;
        }

        var e = await _table.FindAsync<TableEntity>(keyId, Row, cancellationToken);
        return e is null
            ? null
            : new ApiKeyRecord(
                keyId,
                e.GetBinary("SecretHash"),
                Enum.Parse<Role>(e.GetString("Role")),
                e.GetString("PrincipalId"),
                e.GetString("Name"),
                e.GetString("HolderOf"),
                e.GetDateTimeOffset("CreatedAt") ?? default,
                e.GetBoolean("Revoked") ?? false,
                e.GetString("VerifierKind") is { } kind ? Enum.Parse<VerifierKind>(kind) : null,
                e.GetString("HolderKind") is { } holderKind ? Enum.Parse<HolderKind>(holderKind) : null,
                e.GetString("Scopes") is { } scopes ? [.. scopes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<HolderScope>)] : null,
                e.GetDateTimeOffset("ExpiresAt"),
                e.GetString("RegistrarRole") is { } registrarRole ? Enum.Parse<RegistrarRole>(registrarRole) : null);
    }

    public async Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _table.AddEntityAsync(
            new TableEntity(record.KeyId, Row)
            {
                ["SecretHash"] = record.SecretHash,
                ["Role"] = record.Role.ToString(),
                ["PrincipalId"] = record.PrincipalId,
                ["Name"] = record.Name,
                ["HolderOf"] = record.HolderOf,
                ["CreatedAt"] = record.CreatedAt,
                ["Revoked"] = record.Revoked,
                ["VerifierKind"] = record.VerifierKind?.ToString(),
                ["HolderKind"] = record.HolderKind?.ToString(),
                ["Scopes"] = record.Scopes is null ? null : string.Join(',', record.Scopes),
                ["ExpiresAt"] = record.ExpiresAt,
                ["RegistrarRole"] = record.RegistrarRole?.ToString(),
            },
            cancellationToken);
    }

    public async Task RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!TableExtensions.IsKeySafe(keyId))
        {
            return;
        }

        try
        {
            await _table.UpdateEntityAsync(new TableEntity(keyId, Row) { ["Revoked"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Nothing to revoke.
        }
    }
}
