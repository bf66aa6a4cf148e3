using System.Globalization;

namespace ELicence.Functions.Http;

/// <summary>The <c>Cache-Control</c> an endpoint's successful answers carry; problems never carry one.</summary>
public enum CachePolicy
{
    /// <summary>No header from the guard (the answer may set its own).</summary>
    Unset,

    /// <summary><c>no-store</c>: secrets shown once, a caller's own records.</summary>
    NoStore,

    /// <summary><c>private, no-store</c>: a licence's documents and logs, for one holder or the registrar.</summary>
    PrivateNoStore,

    /// <summary><c>public, max-age=2</c>: the log's checkpoint and proofs, which change with every sequencer run.</summary>
    Live,

    /// <summary><c>public, max-age=60</c>: public lists that change within minutes.</summary>
    PublicMinute,

    /// <summary><c>public, max-age=3600</c>: public values that change rarely.</summary>
    PublicHour,

    /// <summary><c>public, max-age=31536000, immutable</c>: resources whose name fixes their content.</summary>
    Immutable,
}

/// <summary>The header values of <see cref="CachePolicy"/>, and of a public max-age read from settings.</summary>
public static class CacheControl
{
    public static string? Of(CachePolicy policy) => policy switch
    {
        CachePolicy.Unset => null,
        CachePolicy.NoStore => "no-store",
        CachePolicy.PrivateNoStore => "private, no-store",
        CachePolicy.Live => PublicFor(TimeSpan.FromSeconds(2)),
        CachePolicy.PublicMinute => PublicFor(TimeSpan.FromMinutes(1)),
        CachePolicy.PublicHour => PublicFor(TimeSpan.FromHours(1)),
        CachePolicy.Immutable => "public, max-age=31536000, immutable",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    public static string PublicFor(TimeSpan maxAge) => string.Create(CultureInfo.InvariantCulture, $"public, max-age={(int)maxAge.TotalSeconds}");
}
