package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.cli.reproduce.HtmlText.escape;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of {@code kvmmp reproduce}: one self-contained page (styles, ECharts and the
 * chart data inline, so it opens without a network) with the findings table, the plots and the
 * notes. Charts use ECharts' SVG renderer, so a rendered page holds its plots as {@code <svg>}.
 */
public final class HtmlReport {

  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private static final String[] COLUMNS =
      {"finding", "subject", "talk", "here", "95% CI", "verdict", "reason", "runs"};

  private HtmlReport() {}

  /** Writes the report of {@code results} to {@code file}, replacing it. */
  public static void write(ReproduceResults results, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(results), StandardCharsets.UTF_8);
  }

  /** The page's HTML. */
  static String render(ReproduceResults results) {
    StringBuilder page = new StringBuilder(1_200_000);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>kvmmp reproduce: the KVM Forum 2015 findings</title>\n")
        .append("<style>\n").append(HtmlAssets.CSS).append("</style>\n</head>\n<body>\n");
    header(results, page);
    findings(results.rows(), page);
    List<HtmlChart> charts = new ArrayList<>();
    plots("latency", "Latency CDFs", HtmlCharts.cdfs(results.cdfs()), charts, page);
    plots("exits", "Exits per transaction", HtmlCharts.exits(results.exits()), charts, page);
    plots("polling", "Halt polling: latency against CPU cost",
        HtmlCharts.polling(results.polling()), charts, page);
    notes(results.notes(), page);
    scripts(charts, page);
    return page.append("</body>\n</html>\n").toString();
  }

  private static void header(ReproduceResults results, StringBuilder page) {
    page.append("<header>\n<h1>kvmmp reproduce <span class=\"sub\">the KVM Forum 2015 findings "
            + "on this machine</span></h1>\n")
        .append("<p class=\"machine\">").append(escape(results.machine())).append("</p>\n")
        .append("<p class=\"meta\">started ").append(STARTED.format(results.startedAt()))
        .append(" &middot; ran ").append(elapsed(results.elapsed())).append("</p>\n")
        .append("</header>\n");
    if (results.quick()) {
      page.append("<div class=\"banner banner-quick\">").append(escape(QuickPlan.describe()))
          .append("</div>\n");
    }
    if (!results.complete()) {
      page.append("<div class=\"banner banner-partial\">interrupted: partial results</div>\n");
    }
  }

  private static void findings(List<FindingRow> rows, StringBuilder page) {
    page.append("<section id=\"findings\">\n<h2>Findings</h2>\n<table class=\"findings\">\n")
        .append("<thead><tr>");
    for (String column : COLUMNS) {
      page.append("<th>").append(escape(column)).append("</th>");
    }
    page.append("</tr></thead>\n<tbody>\n");
    for (FindingRow row : rows) {
      page.append("<tr data-finding=\"").append(escape(row.finding())).append("\">")
          .append(cell("finding", row.finding()))
          .append(cell("subject", row.subject()))
          .append(cell("talk number", row.talk()))
          .append(cell("here number", row.here()))
          .append(cell("interval number", row.interval()))
          .append(cell("verdict " + verdictClass(row.verdict()), row.verdict().words()))
          .append(cell("reason", row.reason()))
          .append(cell("runs number", Integer.toString(row.runs())))
          .append("</tr>\n");
    }
    if (rows.isEmpty()) {
      page.append("<tr><td colspan=\"8\" class=\"none\">no finding measured</td></tr>\n");
    }
    page.append("</tbody>\n</table>\n</section>\n");
  }

  /** The CSS class of a verdict's cell, e.g. "verdict-not-testable". */
  static String verdictClass(Verdict verdict) {
    return "verdict-" + verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String cell(String cssClass, String text) {
    return "<td class=\"" + cssClass + "\">" + escape(text) + "</td>";
  }

  private static void plots(String section, String title, List<HtmlChart> sectionCharts,
      List<HtmlChart> charts, StringBuilder page) {
    page.append("<section id=\"").append(section).append("\" class=\"plots\">\n<h2>")
        .append(escape(title)).append("</h2>\n");
    if (sectionCharts.isEmpty()) {
      page.append("<p class=\"none\">nothing measured</p>\n");
    }
    page.append("<div class=\"plot-grid\">\n");
    for (HtmlChart chart : sectionCharts) {
      page.append("<figure class=\"plot-box\">\n<figcaption>").append(escape(chart.plot()))
          .append("</figcaption>\n<div class=\"plot plot-").append(chart.kind())
          .append("\" id=\"").append(chart.id()).append("\" data-plot=\"")
          .append(escape(chart.plot())).append("\" style=\"height: ").append(chart.heightPx())
          .append("px\"></div>\n");
      for (String note : chart.notes()) {
        page.append("<p class=\"plot-note\">").append(escape(note)).append("</p>\n");
      }
      page.append("</figure>\n");
    }
    page.append("</div>\n</section>\n");
    charts.addAll(sectionCharts);
  }

  private static void notes(List<String> notes, StringBuilder page) {
    page.append("<section id=\"notes\">\n<h2>Notes</h2>\n");
    if (notes.isEmpty()) {
      page.append("<p class=\"none\">none</p>\n");
    } else {
      page.append("<ul class=\"notes\">\n");
      for (String note : notes) {
        page.append("<li>").append(escape(note)).append("</li>\n");
      }
      page.append("</ul>\n");
    }
    page.append("</section>\n");
  }

  private static void scripts(List<HtmlChart> charts, StringBuilder page) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    for (HtmlChart chart : charts) {
      data.addObject().put("id", chart.id()).set("option", chart.option());
    }
    page.append("<noscript><p class=\"none\">The plots need JavaScript.</p></noscript>\n")
        .append("<script type=\"application/json\" id=\"kvmmp-charts\">")
        .append(HtmlText.scriptJson(data)).append("</script>\n")
        .append("<script>\n").append(HtmlText.echartsSource()).append("\n</script>\n")
        .append("<script>\n").append(HtmlAssets.INIT_SCRIPT).append("</script>\n");
  }

  /** "42 s", "9 min 05 s", "1 h 02 min". */
  static String elapsed(Duration elapsed) {
    long seconds = elapsed.toSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }
}
