using ExportFlows.Activities.Subsets;

namespace ExportFlows.Tests.Subsets;

public sealed class GroupStatsTests
{
    [Theory]
    [InlineData(16, 9, "56.3", "7.4")]     // 56.25 → 56.3; (9 × 0.909 − 7) / 16 = 7.38 → 7.4
    [InlineData(6, 5, "83.3", "59.1")]     // the original's worked example
    [InlineData(20, 10, "50.0", "-4.6")]   // ROI exactly −4.55 in decimal: binary floats give −4.550000000000001 or −4.5499…
    [InlineData(2, 1, "50.0", "-4.6")]
    [InlineData(0, 0, "0.0", "0.0")]       // no graded pick
    [InlineData(1, 0, "0.0", "-100.0")]
    [InlineData(3, 2, "66.7", "27.3")]
    public void HitRateAndRoi_HalfAwayFromZeroInDecimal(int graded, int wins, string hitRate, string roi)
    {
        var stats = new GroupStats(graded, wins);
        Assert.Equal(hitRate, stats.HitRate.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(roi, stats.Roi.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("10.05", "10.1")]
    [InlineData("-10.05", "-10.1")]
    [InlineData("24.45", "24.5")]
    [InlineData("-0.04", "0.0")]
    [InlineData("26", "26.0")]
    public void Round1_Values_AsStored(string value, string expected) =>
        Assert.Equal(expected, PublicRounding.Round1(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture))
            .ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
}
