using ELicence.Core.Text;

namespace ELicence.Core.AnnualReports;

/// <summary>Whether the business is operating (企业信息公示暂行条例 art. 9: 开业、歇业、清算).</summary>
public enum OperatingStatus
{
    Operating,
    SuspendedOperation,
    Liquidating,
}

/// <summary>A financial figure of the report; each is filed, and public only when the business lists it in <c>publishFinancials</c>.</summary>
public enum FinancialFigure
{
    TotalAssets,
    TotalLiabilities,
    Revenue,
    NetProfit,
    TaxPaid,
}

/// <summary>The report's financial figures in yuan (CNY).</summary>
public sealed record Financials(decimal? TotalAssets, decimal? TotalLiabilities, decimal? Revenue, decimal? NetProfit, decimal? TaxPaid)
{
    public decimal? Of(FinancialFigure figure) => figure switch
    {
        FinancialFigure.TotalAssets => TotalAssets,
        FinancialFigure.TotalLiabilities => TotalLiabilities,
        FinancialFigure.Revenue => Revenue,
        FinancialFigure.NetProfit => NetProfit,
        FinancialFigure.TaxPaid => TaxPaid,
        _ => throw new ArgumentOutOfRangeException(nameof(figure)),
    };
}

/// <summary>What the register keeps from the public: whom the bureau contacts about the report.</summary>
public sealed record PrivatePart(string? ContactPerson, string? Telephone, string? Email);

/// <summary>
/// An annual report as the holder files it: the public part (contact address, status of operation, website, number of
/// employees), the financial figures with those the business chooses to publish, and a private part.
/// </summary>
public sealed record AnnualReportRequest(
    string? ContactAddress,
    OperatingStatus? OperatingStatus,
    string? Website,
    int? Employees,
    Financials? Financials,
    IReadOnlyList<FinancialFigure>? PublishFinancials,
    PrivatePart? Private)
{
    private const decimal MaxAmount = 1_000_000_000_000_000m; // 10^15 yuan: more than any business has

    /// <summary>The report's content, checked field by field; a validation problem names every bad field.</summary>
    public AnnualReportContent Validate()
    {
        var errors = new List<FieldError>();
        var address = FreeText.Check(errors, "contactAddress", ContactAddress, TextKind.Line, 200);
        if (OperatingStatus is null)
        {
            errors.Add(new FieldError("operatingStatus", "Required: one of " + string.Join(", ", Enum.GetValues<OperatingStatus>().Select(Licences.LicenceLifecycle.Kebab)) + "."));
        }

        var website = FreeText.Check(errors, "website", Website, TextKind.Identifier, 200, required: false);
        if (website is not null && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add(new FieldError("website", "An absolute http or https URL, such as https://www.example.cn."));
        }

        if (Employees is not (>= 0 and <= 10_000_000))
        {
            errors.Add(new FieldError("employees", "Required: the number of employees, a whole number from 0."));
        }

        if (Financials is null)
        {
            errors.Add(new FieldError("financials", "Required: totalAssets, totalLiabilities, revenue, netProfit and taxPaid in yuan."));
        }
        else
        {
            foreach (var figure in Enum.GetValues<FinancialFigure>())
            {
                var value = Financials.Of(figure);
                var field = "financials." + System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(figure.ToString());
                var mayBeNegative = figure == FinancialFigure.NetProfit;
                if (value is null || Math.Abs(value.Value) >= MaxAmount || (!mayBeNegative && value < 0) || decimal.Round(value.Value, 2) != value)
                {
                    errors.Add(new FieldError(field, mayBeNegative ? "Required: yuan with at most two decimals (negative for a loss)." : "Required: yuan from 0, with at most two decimals."));
                }
            }
        }

        var published = PublishFinancials ?? [];
        if (published.Distinct().Count() != published.Count)
        {
            errors.Add(new FieldError("publishFinancials", "Name each figure once."));
        }

        var person = FreeText.Check(errors, "private.contactPerson", Private?.ContactPerson, TextKind.Name, 100, required: false);
        var telephone = FreeText.Check(errors, "private.telephone", Private?.Telephone, TextKind.Identifier, 40, required: false);
        var email = FreeText.Check(errors, "private.email", Private?.Email, TextKind.Identifier, 200, required: false);
        if (email is not null && (email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@')))
        {
            errors.Add(new FieldError("private.email", "An e-mail address such as caiwu@example.cn."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return new AnnualReportContent(
            new AnnualReportPublicPart(address!, OperatingStatus!.Value, website, Employees!.Value, [.. published.Order().Select(f => new PublishedFigure(f, Financials!.Of(f)!.Value))]),
            Financials!,
            new PrivatePart(person, telephone, email));
    }
}

/// <summary>A financial figure the business published.</summary>
public sealed record PublishedFigure(FinancialFigure Figure, decimal Amount);

/// <summary>What anyone may read of a report.</summary>
public sealed record AnnualReportPublicPart(string ContactAddress, OperatingStatus OperatingStatus, string? Website, int Employees, IReadOnlyList<PublishedFigure> Financials);

/// <summary>A checked report: its public part, every figure, and the private part.</summary>
public sealed record AnnualReportContent(AnnualReportPublicPart Public, Financials Financials, PrivatePart Private)
{
    /// <summary>Whether two filings say the same (a repeated filing is refused rather than kept as a version).</summary>
    public bool SameAs(AnnualReportContent other) =>
        other is not null && ElicenceJson.Serialize(this) == ElicenceJson.Serialize(other);
}
