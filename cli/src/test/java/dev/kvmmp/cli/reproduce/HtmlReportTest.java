package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.cli.reproduce.HtmlText.escape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static final String HOSTILE = "</script><b>bold</b>";
  private static final String LIBRARY = HtmlText.echartsSource();
  private static final Pattern CHART_DATA = Pattern.compile(
      "<script type=\"application/json\" id=\"kvmmp-charts\">(.*?)</script>", Pattern.DOTALL);

  @Test
  void textFromTheResultsIsEscapedEverywhereInTheMarkup() {
    String page = render(new ReproduceResults(HOSTILE, HtmlReportSamples.STARTED,
        Duration.ofSeconds(1), false, true,
        List.of(new FindingRow("F1", HOSTILE, "t", "h", "-", Verdict.REPRODUCED, HOSTILE, 1)),
        List.of(HtmlReportSamples.cdf(HOSTILE, "s", 5, 1)), List.of(), List.of(),
        List.of(HOSTILE)));

    assertThat(page).doesNotContain("<b>bold").contains("&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;");
    // The page's own three script elements, and no fourth end tag from the data.
    assertThat(Pattern.compile("</script>").matcher(page).results().count()).isEqualTo(3);
  }

  @Test
  void namesInTheChartDataCannotCloseTheScriptElementYetParseBackUnchanged() throws Exception {
    ExitBar bar = new ExitBar("F2", HOSTILE, 3, Map.of("ICR writes", 2.0));
    String page = render(results(List.of(), List.of(), List.of(bar), List.of(),
        List.of()));

    String json = chartData(page);
    assertThat(json).doesNotContain("<").contains("\\u003C/script\\u003E");
    JsonNode option = new ObjectMapper().readTree(json).get(0).get("option");
    assertThat(option.at("/xAxis/data/0").asText()).isEqualTo(HOSTILE + "\n(3 runs)");
  }

  @Test
  void aPointWithoutAPollingCostIsDrawnHollowAtZeroAndSaysSo() {
    HtmlChart chart = HtmlCharts.polling(List.of(
        new PollingPoint("F3(b)", "micro-VM cross-CPU", "halt_poll_ns 0", 40, Double.NaN, 5),
        new PollingPoint("F3(b)", "micro-VM cross-CPU", "halt_poll_ns 200000", 12, 9000, 5)))
        .get(0);

    JsonNode data = chart.option().at("/series/0/data");
    assertThat(data.at("/0/value/0").asDouble()).isZero();
    assertThat(data.at("/0/symbol").asText()).isEqualTo("emptyCircle");
    assertThat(data.at("/0/name").asText()).contains("cost not measured");
    assertThat(data.at("/1/value/0").asDouble()).isEqualTo(9000);
    assertThat(data.at("/1/symbol").isMissingNode()).isTrue();
    assertThat(chart.notes()).containsExactly(
        "1 point(s) without a measured polling cost are drawn at x = 0 as hollow marks");
  }

  @Test
  void unmeasuredValuesAreLeftOutNotWrittenAsNaN() throws Exception {
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("timer MSR writes", Double.NaN);
    parts.put("ICR writes", 2.0);
    LatencyCdf cdf = new LatencyCdf("F1", "cross-vCPU", 2, 100, List.of(
        new LatencyCdf.CdfPoint(0, 0.1), new LatencyCdf.CdfPoint(Double.NaN, 0.5),
        new LatencyCdf.CdfPoint(50, 1.0)));
    ReproduceResults results = results(List.of(), List.of(cdf),
        List.of(new ExitBar("F2", "tcp_rr cross-vCPU", 2, parts)),
        List.of(new PollingPoint("F3", "tcp_rr", "guest_halt_poll_ns 0", Double.NaN, 0, 2)),
        List.of());
    String page = render(results);

    String json = chartData(page);
    assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    JsonNode charts = new ObjectMapper().readTree(json);
    assertThat(charts.at("/0/option/series/0/data")).hasSize(1);
    assertThat(charts.at("/1/option/series/0/data/0").isNull()).isTrue();
    assertThat(charts.at("/2/option/series/0/data")).isEmpty();
    assertThat(page).contains("2 CDF point(s) at 0 us or not measured are left out",
        "a part that was not measured for a bar is left out of that bar",
        "1 point(s) without a measured p50 are left out");
  }

  @Test
  void bannersSayQuickAndInterruptedOnlyWhenSo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    HtmlReport.write(HtmlReportSamples.session(), file);
    assertThat(Files.readString(file).replace(LIBRARY, "")).contains(
        escape(QuickPlan.describe()), "interrupted: partial results");

    assertThat(render(results(List.of(), List.of(), List.of(), List.of(), List.of())))
        .doesNotContain("--quick:").doesNotContain("interrupted:");
  }

  @Test
  void eachVerdictHasItsOwnCellClass() {
    String page = render(HtmlReportSamples.session());
    List<String> classes = Arrays.stream(Verdict.values())
        .map(HtmlReport::verdictClass).toList();
    assertThat(classes).doesNotHaveDuplicates()
        .allSatisfy(cssClass -> assertThat(HtmlAssets.CSS).contains("td." + cssClass + " {"));
    assertThat(page).contains("<tr data-finding=\"F4\">",
        "<td class=\"verdict verdict-not-testable\">not testable here</td>");
  }

  @Test
  void elapsedReadsInTheLargestUnitsThatFit() {
    assertThat(HtmlReport.elapsed(Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(HtmlReport.elapsed(Duration.ofSeconds(545))).isEqualTo("9 min 05 s");
    assertThat(HtmlReport.elapsed(Duration.ofMinutes(62))).isEqualTo("1 h 02 min");
  }

  /** The page less the 1 MB library, so that a failure prints what matters. */
  private static String render(ReproduceResults results) {
    String page = HtmlReport.render(results);
    assertThat(page.contains(LIBRARY)).as("the page inlines ECharts").isTrue();
    return page.replace(LIBRARY, "");
  }

  private static ReproduceResults results(List<FindingRow> rows, List<LatencyCdf> cdfs,
      List<ExitBar> exits, List<PollingPoint> polling, List<String> notes) {
    return new ReproduceResults("machine", HtmlReportSamples.STARTED, Duration.ofSeconds(1),
        false, true, rows, cdfs, exits, polling, notes);
  }

  private static String chartData(String page) {
    Matcher data = CHART_DATA.matcher(page);
    assertThat(data.find()).as("the chart data script element").isTrue();
    return data.group(1);
  }
}
