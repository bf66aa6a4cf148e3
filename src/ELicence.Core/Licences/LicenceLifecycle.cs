namespace ELicence.Core.Licences;

/// <summary>What registrars and the public can do to a licence. The timers' transitions (deregistered, expired) are not requests: they follow from dates.</summary>
public enum LicenceAction
{
    Amend,
    Suspend,
    Reinstate,
    Revoke,
    OpenDeregistration,
    LodgeObjection,
    DecideObjection,
    AttachPermit,
}

/// <summary>The transition rules of the licence life cycle (measures 8, 11, 22).</summary>
public static class LicenceLifecycle
{
    public static IReadOnlyList<LicenceAction> AllowedActions(LicenceStatus status) => status switch
    {
        LicenceStatus.Active => [LicenceAction.Amend, LicenceAction.Suspend, LicenceAction.Revoke, LicenceAction.OpenDeregistration, LicenceAction.AttachPermit],
        // A business on the abnormal-operations list may still file changes (often how it gets off the list), but
        // simplified deregistration is not open to it.
        LicenceStatus.Suspended => [LicenceAction.Amend, LicenceAction.Reinstate, LicenceAction.Revoke, LicenceAction.AttachPermit],
        LicenceStatus.InDeregistrationNotice => [LicenceAction.LodgeObjection, LicenceAction.DecideObjection, LicenceAction.Revoke],
        LicenceStatus.Expired => [LicenceAction.Amend, LicenceAction.Revoke],
        LicenceStatus.Revoked or LicenceStatus.Deregistered => [],
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Throws a 409 problem naming the current status and the allowed actions when the action is not allowed.</summary>
    public static void Ensure(Licence licence, LicenceAction action)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var allowed = AllowedActions(licence.Status);
        if (!allowed.Contains(action))
        {
            var names = allowed.Select(Kebab).ToList();
            throw new ProblemException(
                ProblemType.InvalidTransition,
                $"Cannot {Kebab(action)} licence {licence.Code}: it is {Kebab(licence.Status)}. Allowed: {(names.Count == 0 ? "nothing (final status)" : string.Join(", ", names))}.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = Kebab(licence.Status), ["allowedActions"] = names });
        }
    }

    public static string Kebab<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}

/// <summary>Working days for the "decision within one working day" rule: weekends and listed public holidays are not working days; listed adjusted weekend working days (调休) are.</summary>
public sealed class WorkingDayCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> extraWorkingDays)
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];
    private readonly HashSet<DateOnly> _extraWorkingDays = [.. extraWorkingDays];

    public bool IsWorkingDay(DateOnly day) =>
        _extraWorkingDays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day));

    /// <summary>The first working day after <paramref name="day"/>.</summary>
    public DateOnly NextWorkingDayAfter(DateOnly day)
    {
        var next = day.AddDays(1);
        while (!IsWorkingDay(next))
        {
            next = next.AddDays(1);
        }

        return next;
    }
}

/// <summary>Simplified deregistration settings (section <c>Deregistration</c>).</summary>
public sealed class DeregistrationOptions
{
    public const string Section = "Deregistration";

    /// <summary>Length of the public notice in calendar days (measure 8: 20, down from 45).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 90)]
    public int NoticeDays { get; set; } = 20;

    /// <summary>Public holidays (yyyy-MM-dd, comma-separated), as the State Council publishes them each year.</summary>
    public string Holidays { get; set; } = "";

    /// <summary>Weekend days that are working days (调休), comma-separated.</summary>
    public string ExtraWorkingDays { get; set; } = "";

    /// <summary>
    /// How many objections one notice has under review at once; later ones are queued, never refused (strangers must not be
    /// able to fill a notice and lock a creditor out). At most 90, so that sustaining one closes the others under review within
    /// one storage transaction (100 operations).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 90)]
    public int MaxObjections { get; set; } = 20;

    public WorkingDayCalendar Calendar() => new(Dates(Holidays), Dates(ExtraWorkingDays));

    private static IEnumerable<DateOnly> Dates(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
