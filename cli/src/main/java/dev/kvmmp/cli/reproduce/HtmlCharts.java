package dev.kvmmp.cli.reproduce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The report's plots as ECharts options: one chart per distinct plot name, in the order the
 * names first appear. A value that was not measured (NaN) is never drawn as a number: it is
 * left out, or drawn apart, and the chart's notes say so.
 */
final class HtmlCharts {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** A chart's height in CSS pixels, less its legend's when that stands apart. */
  private static final int PLOT_PX = 380;
  private static final int LEGEND_LINE_PX = 22;

  private HtmlCharts() {}

  /** Latency CDFs: log x axis in us, fraction 0-1 on y, a line per series. */
  static List<HtmlChart> cdfs(List<LatencyCdf> cdfs) {
    List<HtmlChart> charts = new ArrayList<>();
    byPlot(cdfs, LatencyCdf::plot).forEach((plot, lines) -> {
      ObjectNode option = base("axis");
      // Series names with their runs are long: one per line above the plot, which grows by a
      // line per series rather than hiding a legend behind a scroller or over a curve.
      int legendHeight = LEGEND_LINE_PX * lines.size();
      option.putObject("legend").put("orient", "vertical").put("top", 0).put("left", 40);
      option.withObjectProperty("grid").put("top", legendHeight + 24);
      option.set("xAxis", axis("log", "latency (us, log scale)"));
      option.set("yAxis", axis("value", "fraction of transactions").put("min", 0).put("max", 1));
      ArrayNode series = option.putArray("series");
      int dropped = 0;
      for (LatencyCdf line : lines) {
        ArrayNode data = JSON.arrayNode();
        for (LatencyCdf.CdfPoint point : line.points()) {
          // A log axis has no place for 0 us; NaN is not a point.
          if (point.latencyUs() > 0 && Double.isFinite(point.latencyUs())
              && Double.isFinite(point.fraction())) {
            data.addArray().add(point.latencyUs()).add(point.fraction());
          } else {
            dropped++;
          }
        }
        series.addObject().put("type", "line").put("showSymbol", false)
            .put("name", String.format(Locale.ROOT, "%s (%d runs, %,d transactions)",
                line.series(), line.runs(), line.transactions()))
            .set("data", data);
      }
      List<String> notes = new ArrayList<>();
      if (dropped > 0) {
        notes.add(dropped + " CDF point(s) at 0 us or not measured are left out (log axis)");
      }
      charts.add(new HtmlChart(id("cdf", charts), "cdf", plot, PLOT_PX + legendHeight, option,
          notes));
    });
    return charts;
  }

  /** Exits (or their causes) per transaction: a bar per ExitBar, stacked by its parts. */
  static List<HtmlChart> exits(List<ExitBar> bars) {
    List<HtmlChart> charts = new ArrayList<>();
    byPlot(bars, ExitBar::plot).forEach((plot, plotBars) -> {
      ObjectNode option = base("axis");
      option.withObjectProperty("tooltip").putObject("axisPointer").put("type", "shadow");
      ObjectNode xAxis = axis("category", null);
      xAxis.putObject("axisLabel").put("interval", 0).put("lineHeight", 16).put("width", 130)
          .put("overflow", "break");
      ArrayNode names = xAxis.putArray("data");
      Set<String> parts = new LinkedHashSet<>();
      for (ExitBar bar : plotBars) {
        names.add(String.format(Locale.ROOT, "%s\n(%d runs)", bar.bar(), bar.runs()));
        parts.addAll(bar.perTransaction().keySet());
      }
      option.set("xAxis", xAxis);
      option.set("yAxis", axis("value", "per transaction"));
      ArrayNode series = option.putArray("series");
      boolean missing = false;
      for (String part : parts) {
        ArrayNode data = JSON.arrayNode();
        for (ExitBar bar : plotBars) {
          Double value = bar.perTransaction().get(part);
          if (value == null || !Double.isFinite(value)) {
            data.addNull();
            missing = true;
          } else {
            data.add(value);
          }
        }
        series.addObject().put("type", "bar").put("name", part).put("stack", "parts")
            .put("barMaxWidth", 70).set("data", data);
      }
      List<String> notes = missing
          ? List.of("a part that was not measured for a bar is left out of that bar")
          : List.of();
      charts.add(new HtmlChart(id("exits", charts), "exits", plot, PLOT_PX, option, notes));
    });
    return charts;
  }

  /**
   * Latency against polling cost: x = poll ns per transaction, y = p50 us, a line per series,
   * each point labelled with its setting. A point whose cost was not measured sits at x = 0 as a
   * hollow mark; a point without a p50 is left out.
   */
  static List<HtmlChart> polling(List<PollingPoint> points) {
    List<HtmlChart> charts = new ArrayList<>();
    byPlot(points, PollingPoint::plot).forEach((plot, plotPoints) -> {
      ObjectNode option = base("item");
      // Room on the right for the last point's label.
      option.set("xAxis", axis("value", "CPU ns spent polling per transaction").put("min", 0)
          .set("boundaryGap", JSON.arrayNode().add("0%").add("20%")));
      option.set("yAxis", axis("value", "p50 latency (us)").put("min", 0));
      ArrayNode series = option.putArray("series");
      int noCost = 0;
      int noLatency = 0;
      for (Map.Entry<String, List<PollingPoint>> line
          : byPlot(plotPoints, PollingPoint::series).entrySet()) {
        ArrayNode data = JSON.arrayNode();
        for (PollingPoint point : line.getValue()) {
          if (!Double.isFinite(point.p50Us())) {
            noLatency++;
            continue;
          }
          boolean costKnown = Double.isFinite(point.pollNsPerTransaction());
          ObjectNode item = data.addObject()
              .put("name", String.format(Locale.ROOT, "%s%s, %d runs", point.setting(),
                  costKnown ? "" : " (cost not measured)", point.runs()));
          item.putArray("value").add(costKnown ? point.pollNsPerTransaction() : 0)
              .add(point.p50Us());
          item.putObject("label").put("formatter", formatterText(point.setting()));
          if (!costKnown) {
            noCost++;
            item.put("symbol", "emptyCircle").put("symbolSize", 12);
          }
        }
        ObjectNode lineOption = series.addObject().put("type", "line").put("name", line.getKey())
            .put("symbol", "circle").put("symbolSize", 9);
        lineOption.putObject("label").put("show", true).put("position", "right");
        lineOption.putObject("labelLayout").put("moveOverlap", "shiftY");
        lineOption.set("data", data);
      }
      List<String> notes = new ArrayList<>();
      if (noCost > 0) {
        notes.add(noCost + " point(s) without a measured polling cost are drawn at x = 0 as "
            + "hollow marks");
      }
      if (noLatency > 0) {
        notes.add(noLatency + " point(s) without a measured p50 are left out");
      }
      charts.add(new HtmlChart(id("polling", charts), "polling", plot, PLOT_PX, option, notes));
    });
    return charts;
  }

  /** Braces and pipes are ECharts formatter syntax; anything else prints as it is. */
  private static String formatterText(String text) {
    return text.replaceAll("[{}|]", " ");
  }

  private static ObjectNode base(String tooltipTrigger) {
    ObjectNode option = JSON.objectNode().put("animation", false);
    option.putObject("tooltip").put("trigger", tooltipTrigger).put("confine", true);
    option.putObject("legend").put("top", 0).put("type", "scroll");
    option.putObject("grid").put("left", 40).put("right", 40).put("top", 48).put("bottom", 36)
        .put("containLabel", true);
    return option;
  }

  private static ObjectNode axis(String type, String name) {
    ObjectNode axis = JSON.objectNode().put("type", type);
    if (name != null) {
      axis.put("name", name).put("nameLocation", "middle").put("nameGap", 30);
    }
    return axis;
  }

  private static String id(String kind, List<HtmlChart> before) {
    return "plot-" + kind + "-" + (before.size() + 1);
  }

  private static <T> Map<String, List<T>> byPlot(List<T> items, Function<T, String> key) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    return groups;
  }
}
