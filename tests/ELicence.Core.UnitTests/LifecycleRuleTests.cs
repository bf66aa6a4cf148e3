namespace ELicence.Core.UnitTests;

public class LifecycleRuleTests
{
    [Theory]
    [InlineData(LicenceStatus.Active, LicenceAction.Reinstate)]
    [InlineData(LicenceStatus.Active, LicenceAction.LodgeObjection)]
    [InlineData(LicenceStatus.Suspended, LicenceAction.OpenDeregistration)]
    [InlineData(LicenceStatus.Revoked, LicenceAction.Amend)]
    [InlineData(LicenceStatus.Deregistered, LicenceAction.Reinstate)]
    [InlineData(LicenceStatus.InDeregistrationNotice, LicenceAction.Amend)]
    public void A_forbidden_transition_is_a_409_that_names_the_status_and_the_allowed_actions(LicenceStatus status, LicenceAction action)
    {
        var licence = Builders.Licence() with { Status = status };

        var problem = Assert.Throws<ProblemException>(() => LicenceLifecycle.Ensure(licence, action));

        Assert.Equal(ProblemType.InvalidTransition, problem.Type);
        Assert.Equal(LicenceLifecycle.Kebab(status), problem.Extensions["currentStatus"]);
        Assert.Equal(LicenceLifecycle.AllowedActions(status).Select(LicenceLifecycle.Kebab), (IEnumerable<string>)problem.Extensions["allowedActions"]!);
    }

    [Fact]
    public void Every_status_has_its_rules_and_final_statuses_allow_nothing()
    {
        foreach (var status in Enum.GetValues<LicenceStatus>())
        {
            var allowed = LicenceLifecycle.AllowedActions(status);
            Assert.Equal(status is LicenceStatus.Revoked or LicenceStatus.Deregistered, allowed.Count == 0);
        }
    }

    [Fact]
    public void An_active_licence_past_its_term_is_effectively_expired_before_any_timer_marks_it()
    {
        var licence = Builders.Licence() with { Details = Builders.Licence().Details with { OperatingTerm = new OperatingTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 27)) } };

        Assert.Equal(LicenceStatus.Active, licence.EffectiveStatus(new DateOnly(2026, 11, 27)));
        Assert.Equal(LicenceStatus.Expired, licence.EffectiveStatus(new DateOnly(2026, 11, 28)));
        Assert.Equal(new DateOnly(2026, 11, 28), licence.EffectiveStatusDetail(new DateOnly(2026, 11, 28)).EffectiveOn);
        Assert.Equal(LicenceStatus.Suspended, (licence with { Status = LicenceStatus.Suspended }).EffectiveStatus(new DateOnly(2026, 11, 28)));
        Assert.Equal(LicenceStatus.Revoked, (licence with { Status = LicenceStatus.Revoked }).EffectiveStatus(new DateOnly(2026, 11, 28)));
    }

    [Theory]
    [InlineData("2026-11-02", "2026-11-03")] // Monday → Tuesday
    [InlineData("2026-11-06", "2026-11-09")] // Friday → Monday
    [InlineData("2026-11-07", "2026-11-09")] // Saturday → Monday
    [InlineData("2026-09-30", "2026-10-09")] // National Day holidays 1–7 Oct; 8 Oct listed as holiday too
    [InlineData("2026-10-09", "2026-10-10")] // Saturday 10 Oct listed as an adjusted working day (调休)
    public void The_decision_is_due_one_working_day_after_the_notice_ends(string noticeEnds, string dueBy)
    {
        var options = new DeregistrationOptions
        {
            Holidays = "2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07,2026-10-08",
            ExtraWorkingDays = "2026-10-10",
        };

        Assert.Equal(DateOnly.Parse(dueBy, System.Globalization.CultureInfo.InvariantCulture), options.Calendar().NextWorkingDayAfter(DateOnly.Parse(noticeEnds, System.Globalization.CultureInfo.InvariantCulture)));
    }
}

public class BitstringStatusListTests
{
    [Fact]
    public void The_specification_example_decodes_to_131072_clear_entries()
    {
        // W3C Bitstring Status List v1.0, the encodedList of its example status list credential.
        var list = BitstringStatusList.Decode("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA");

        Assert.All(Enumerable.Range(0, BitstringStatusList.Length), i => Assert.False(list[i]));
    }

    [Fact]
    public void Index_zero_is_the_left_most_bit_and_bits_survive_encoding()
    {
        var list = new BitstringStatusList();
        list[0] = true;
        list[9] = true;
        list[BitstringStatusList.Length - 1] = true;

        var encoded = list.Encode();
        var decoded = BitstringStatusList.Decode(encoded);

        Assert.StartsWith("uH4sI", encoded, StringComparison.Ordinal); // multibase 'u' + base64url of the GZIP magic 1f 8b
        Assert.True(decoded[0] && decoded[9] && decoded[BitstringStatusList.Length - 1]);
        Assert.Equal(3, Enumerable.Range(0, BitstringStatusList.Length).Count(i => decoded[i]));
        var raw = new System.IO.Compression.GZipStream(new MemoryStream(System.Buffers.Text.Base64Url.DecodeFromChars(encoded.AsSpan(1))), System.IO.Compression.CompressionMode.Decompress);
        var first = new byte[2];
        raw.ReadExactly(first);
        Assert.Equal([0x80, 0x40], first);
    }

    [Fact]
    public void A_credential_points_both_purposes_at_the_same_index_of_their_lists()
    {
        var entries = StatusListCredentials.EntriesFor(new IssuerOptions { Id = "https://elicence.example" }, 131_073);

        Assert.Equal([StatusPurpose.Revocation, StatusPurpose.Suspension], entries.Select(e => e.StatusPurpose));
        Assert.All(entries, e => Assert.Equal("1", e.StatusListIndex));
        Assert.Equal("https://elicence.example/api/v1/status-lists/revocation/1", entries[0].StatusListCredential);
        Assert.Equal("https://elicence.example/api/v1/status-lists/revocation/1#1", entries[0].Id);
        Assert.All(entries, e => Assert.Equal("BitstringStatusListEntry", e.Type));
    }
}
