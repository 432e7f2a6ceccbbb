package dev.kvmmp.cli.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One plot of the report: its container's id, its kind ("cdf", "exits", "polling"), its name,
 * its height in CSS pixels, the ECharts option that draws it, and the notes printed under it.
 */
record HtmlChart(String id, String kind, String plot, int heightPx, ObjectNode option,
    List<String> notes) {

  HtmlChart {
    notes = List.copyOf(notes);
  }
}
