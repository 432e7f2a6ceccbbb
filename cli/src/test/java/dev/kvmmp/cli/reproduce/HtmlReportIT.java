package dev.kvmmp.cli.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reproduce report as a browser shows it: real headless Chromium renders the page. */
class HtmlReportIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern PLOT =
      Pattern.compile("<div class=\"plot plot-(\\w+)\" id=\"([\\w-]+)\"[^>]*>");
  private static final Pattern ROW = Pattern.compile("<tr data-finding=\"(F\\d)\">");
  /**
   * How ECharts 5.3's SVG renderer draws one data mark of each kind of plot, told apart from
   * axes, grid lines and legend icons: a CDF's polyline of 100+ vertices, a bar segment's filled
   * rectangle, a polling point's unit circle (scaled by its transform).
   */
  private static final Map<String, Pattern> MARKS = Map.of(
      "cdf", Pattern.compile("<path d=\"M[^\"L]*(?:L[^\"L]*){100,}\""),
      "exits", Pattern.compile("<path d=\"M[\\d.]+ [\\d.]+l[\\d.]+ 0l0 -?[\\d.]+l-[\\d.]+ 0Z\""
          + "[^>]*fill=\"#[0-9a-f]{6}\""),
      "polling", Pattern.compile("<path d=\"M1 0A1 1 0 1 1 1 -0.0001\""));
  private static final Pattern SCRIPT_BODY =
      Pattern.compile("(?is)(<script[^>]*>).*?</script>");
  private static final Pattern REMOTE =
      Pattern.compile("(?i)\\b(?:src|href)\\s*=\\s*[\"']?\\s*(?:https?:)?//");

  private static final ReproduceResults RESULTS = HtmlReportSamples.session();

  @TempDir
  static Path dir;
  private static Path html;
  private static String dom;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(),
        HeadlessChromium.CHROMIUM + " missing: run scripts/setup-machine --tests");
    html = dir.resolve("report.html");
    HtmlReport.write(RESULTS, html);
    dom = HeadlessChromium.dumpDom(html, TIMEOUT);
  }

  @Test
  void everyChartIsDrawnWithoutAScriptError() {
    Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
    assertThat(body.find()).as("a <body> in the DOM").isTrue();
    assertThat(body.group()).contains("data-charts-rendered=\"4\"");
    assertNoMatch(Pattern.compile("class=\"plot [^\"]*failed\""), dom, "a chart that failed");
  }

  @Test
  void tableHasARowPerFindingRowAndAllFourFindings() {
    int start = dom.indexOf("<table class=\"findings\">");
    assertThat(start).as("the findings table in the DOM").isNotNegative();
    String table = dom.substring(start, dom.indexOf("</table>", start));
    List<String> findings = new ArrayList<>();
    Matcher row = ROW.matcher(table);
    while (row.find()) {
      findings.add(row.group(1));
    }
    assertThat(findings).containsExactly("F1", "F2", "F3", "F4");
    assertThat(table).contains("class=\"verdict verdict-reproduced\"",
        "class=\"verdict verdict-not-reproduced\"", "class=\"verdict verdict-not-testable\"");
  }

  @Test
  void everyPlotContainerHoldsAnSvgWithEveryDataMarkDrawn() throws Exception {
    // The written page has empty containers: what is in them now, the browser drew.
    assertNoMatch(Pattern.compile("<div class=\"plot [^>]*>(?!</div>)"), Files.readString(html),
        "a plot container that is not empty in the written page");
    Map<String, Long> expected = expectedMarks();
    Map<String, Long> drawn = new LinkedHashMap<>();
    Matcher plot = PLOT.matcher(dom);
    while (plot.find()) {
      String container = dom.substring(plot.end(), dom.indexOf("</figure>", plot.end()));
      assertThat(container.contains("<svg")).as(plot.group(2) + " holds an <svg>").isTrue();
      drawn.put(plot.group(2), MARKS.get(plot.group(1)).matcher(container).results().count());
    }
    assertThat(drawn).isEqualTo(expected);
  }

  @Test
  void pageNeedsNoNetwork() {
    // Chromium ran with no host resolution, so the charts above could not have come from a CDN;
    // and no element outside the inline scripts points at one.
    String markup = SCRIPT_BODY.matcher(dom).replaceAll("$1</script>");
    assertNoMatch(REMOTE, markup, "a remote src or href");
    assertNoMatch(Pattern.compile("<link|<script[^>]*\\bsrc="), markup, "an external resource");
  }

  @Test
  void screenshotShowsTheReport() throws Exception {
    Path png = Path.of("target", "reproduce-report.png");
    Files.createDirectories(png.getParent());
    HeadlessChromium.screenshot(html, png, TIMEOUT);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    // A blank or unstyled page has a handful of colours; table, banners and charts have many.
    assertThat(colours.size()).as("distinct colours in " + png).isGreaterThan(30);
  }

  /** Fails naming the match and a little of its context, never the whole megabyte page. */
  private static void assertNoMatch(Pattern pattern, String text, String what) {
    Matcher matcher = pattern.matcher(text);
    if (matcher.find()) {
      throw new AssertionError(what + ": ..." + text.substring(Math.max(0, matcher.start() - 80),
          Math.min(text.length(), matcher.end() + 80)) + "...");
    }
  }

  /** The data marks each plot must show, counted from the results it was drawn from. */
  private static Map<String, Long> expectedMarks() {
    Map<String, Long> marks = new LinkedHashMap<>();
    for (HtmlChart chart : HtmlCharts.cdfs(RESULTS.cdfs())) {
      marks.put(chart.id(), (long) chart.option().get("series").size());
    }
    for (HtmlChart chart : HtmlCharts.exits(RESULTS.exits())) {
      marks.put(chart.id(), RESULTS.exits().stream().filter(bar -> bar.plot().equals(chart.plot()))
          .mapToLong(bar -> bar.perTransaction().size()).sum());
    }
    for (HtmlChart chart : HtmlCharts.polling(RESULTS.polling())) {
      marks.put(chart.id(), RESULTS.polling().stream()
          .filter(point -> point.plot().equals(chart.plot())).count());
    }
    assertThat(marks).hasSize(4);
    return marks;
  }
}
