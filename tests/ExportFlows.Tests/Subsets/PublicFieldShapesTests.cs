using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Subsets;

/// <summary>Each public string field's shape: what fits and what never reaches a document.</summary>
public sealed class PublicFieldShapesTests
{
    [Theory]
    [InlineData("NYK", true)]
    [InlineData("GS", true)]
    [InlineData("UTAH", true)]
    [InlineData("N", false)]
    [InlineData("NYKNY", false)]
    [InlineData("nyk", false)]
    [InlineData("NY1", false)]
    [InlineData("ＮＹＫ", false)]           // full-width
    [InlineData("NΥK", false)]             // Greek capital upsilon
    [InlineData("NYK ", false)]
    [InlineData("", false)]
    [InlineData("</script><script>alert(1)</script>", false)]
    public void TeamCode_Value_FitsOnlyTwoToFourUppercaseAsciiLetters(string value, bool fits) =>
        Assert.Equal(fits, PublicFieldShapes.TeamCode.Fits(value));

    [Theory]
    [InlineData("Nikola Jokić", true)]
    [InlineData("Luka Dončić", true)]
    [InlineData("Dāvis Bertāns", true)]
    [InlineData("Nikola Jokic\u0301", true)]          // decomposed (NFD)
    [InlineData("Nguye\u0302\u0303n", true)]           // two marks on one letter
    [InlineData("Shaquille O'Neal", true)]
    [InlineData("De’Aaron Fox", true)]
    [InlineData("Karl-Anthony Towns", true)]
    [InlineData("A.J. Green", true)]
    [InlineData("Jaren Jackson Jr.", true)]
    [InlineData("Никола Йокич", true)]
    [InlineData("alpha", true)]                         // the player_lookup when the registry has no name
    [InlineData("<b>Alpha</b>", false)]
    [InlineData("Alpha & Omega", false)]
    [InlineData("Alpha \"The\" Adams", false)]
    [InlineData("Alpha\tAdams", false)]
    [InlineData("Alpha\nAdams", false)]
    [InlineData("Alpha\u200BAdams", false)]             // zero-width space (Cf)
    [InlineData("Alpha\u034FAdams", false)]             // combining grapheme joiner: a mark, but invisible
    [InlineData("Alpha\uFE0F", false)]                  // variation selector
    [InlineData("Alpha\u3164Adams", false)]             // Hangul filler: a letter, but invisible
    [InlineData("Alpha Adams 2", false)]
    [InlineData("catboost_v9", false)]
    [InlineData(" Alpha", false)]
    [InlineData("'Alpha", false)]
    [InlineData("\u0301Alpha", false)]
    [InlineData("Alpha \u0301Adams", false)]            // a mark after a space
    [InlineData("Za\u0336\u0335\u0338\u0337lgo", false)] // four marks stacked
    [InlineData("\uD800Alpha", false)]                  // lone surrogate
    [InlineData("", false)]
    public void PlayerName_Value_FitsOnlyLettersMarksAndNamePunctuation(string value, bool fits) =>
        Assert.Equal(fits, PublicFieldShapes.PlayerName.Fits(value));

    [Fact]
    public void PlayerName_LongerThanTheBound_DoesNotFit()
    {
        Assert.True(PublicFieldShapes.PlayerName.Fits(new string('a', PublicFieldShapes.MaxPlayerNameLength)));
        Assert.False(PublicFieldShapes.PlayerName.Fits(new string('a', PublicFieldShapes.MaxPlayerNameLength + 1)));
    }

    [Theory]
    [InlineData("2026-02-03", true)]
    [InlineData("2026-13-45", false)]
    [InlineData("2026-2-3", false)]
    [InlineData("2026-02-03T00:00:00", false)]
    [InlineData("２０２６-02-03", false)]
    public void Date_Value_FitsOnlyARealIsoDate(string value, bool fits) => Assert.Equal(fits, PublicFieldShapes.Date.Fits(value));

    [Theory]
    [InlineData("2026-02-10T17:30:00.000000+00:00", true)]
    [InlineData("2026-02-10T17:30:00+00:00", false)]
    [InlineData("2026-02-10T17:30:00.000000+01:00", false)]
    public void Timestamp_Value_FitsOnlyTheGeneratedAtFormat(string value, bool fits) => Assert.Equal(fits, PublicFieldShapes.Timestamp.Fits(value));

    [Fact]
    public void Vocabularies_EveryDeclaredValue_FitsAndNothingElse()
    {
        Assert.True(PublicFieldShapes.Direction.Fits("OVER") && PublicFieldShapes.Direction.Fits("UNDER"));
        Assert.False(PublicFieldShapes.Direction.Fits("over") || PublicFieldShapes.Direction.Fits("PASS"));
        Assert.True(DailySignalsExporter.Signal.Fits(DailySignalsExporter.PublicSignal("GREEN")));
        Assert.True(DailySignalsExporter.Signal.Fits(DailySignalsExporter.PublicSignal("<img>")));
        Assert.False(DailySignalsExporter.Signal.Fits("GREEN"));
        Assert.True(DailySignalsExporter.Conditions.Fits(DailySignalsExporter.PublicConditions("OVER_HEAVY")));
        Assert.False(DailySignalsExporter.Conditions.Fits("OVER_HEAVY"));
        Assert.True(PublicFieldShapes.ModelCodename(ExportCatalog.Shipped.Publication).Fits("926A"));
        Assert.False(PublicFieldShapes.ModelCodename(ExportCatalog.Shipped.Publication).Fits("catboost_v9"));
        Assert.True(PublicFieldShapes.SubsetId(ExportCatalog.Shipped.Publication).Fits("1") && PublicFieldShapes.SubsetName(ExportCatalog.Shipped.Publication).Fits("Top Pick"));
        Assert.False(PublicFieldShapes.SubsetId(ExportCatalog.Shipped.Publication).Fits("v9_high_edge_top1") || PublicFieldShapes.SubsetName(ExportCatalog.Shipped.Publication).Fits("V9 Best Pick"));
    }

    [Fact]
    public void Vocabularies_EveryValue_CarriesNoInternalId()
    {
        // Vocabulary fields are exempt from the identifier check, so their values are checked here, once.
        string[] ids = ["catboost_v9", "catboost_v9_202602", "catboost_v8", "ensemble_v1", "similarity_v1", "xgboost_v2",
            "v9_high_edge_top1", "v9_high_edge_top3", "v9_high_edge_top5", "v9_high_edge_top10", "v9_high_edge_balanced",
            "v9_high_edge_top5_balanced", "v9_high_edge_any", "v9_premium_safe", "v9_high_edge_warning"];
        var values = ExportCatalog.Shipped.Publication.Subsets.Values.SelectMany(n => new[] { n.IdText, n.Name, n.Description })
            .Concat(ExportCatalog.Shipped.Publication.ModelCodenames.Values)
            .Concat(["OVER", "UNDER", "favorable", "challenging", "neutral", "over_heavy", "under_heavy", "balanced", "unknown", DailySignalsExporter.NoDataNote]);

        Assert.All(values, v => Assert.Null(PublicDocumentGuard.Leaked(v, ids)));
    }

    [Fact]
    public void Require_ValueOutsideShape_NamesDocumentFieldRowAndShowsInvisibles()
    {
        var error = Assert.Throws<ContractViolationException>(() => PublicFieldShapes.Require(
            "v1/picks/2026-02-03.json", "player", "Cat\u200Bboost\u0336", PublicFieldShapes.PlayerName, "the pick of player 'alpha' on 2026-02-03"));

        Assert.StartsWith(
            "v1/picks/2026-02-03.json: 'player' of the pick of player 'alpha' on 2026-02-03 is \"Cat\\u200Bboost\\u0336\", which is not a player name",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_LongValue_Truncated()
    {
        Assert.Equal("\"" + new string('a', 80) + "…\"", PublicFieldShapes.Quote(new string('a', 200)));
    }
}
