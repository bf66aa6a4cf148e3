using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Register;

/// <summary>Configuration section <c>Register</c>: the public register's search bounds, feed retention and long-poll limit.</summary>
public sealed class RegisterOptions
{
    public const string Section = "Register";

    /// <summary>At most this many index rows are read per query term; a query all of whose terms are commoner is refused as too broad.</summary>
    [Range(50, 100_000)]
    public int SearchTermCap { get; set; } = 2000;

    /// <summary>Feed entries older than this (and already in a snapshot) are removed by the daily snapshot; a cursor before them answers 410.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan FeedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often a long-polling feed read looks for new entries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan LongPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
