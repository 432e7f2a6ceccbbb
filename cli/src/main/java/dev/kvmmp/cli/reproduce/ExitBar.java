package dev.kvmmp.cli.reproduce;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stacked bar: the exits, or the guest events that cause them, per transaction of one
 * workload under one placement (median over its runs).
 *
 * @param plot the plot it belongs to, e.g. "F2 guest side: exit causes per transaction"
 * @param bar the bar's name, e.g. "tcp_rr same-vCPU"
 * @param runs how many runs the medians are over
 * @param perTransaction the stacked parts in order, e.g. "timer MSR writes" to 1.4, "ICR
 *     writes" to 2.0, "HLT entries" to 0.9; a part that was not measured is absent, not 0
 */
public record ExitBar(String plot, String bar, int runs, Map<String, Double> perTransaction) {

  public ExitBar {
    perTransaction = Collections.unmodifiableMap(new LinkedHashMap<>(perTransaction));
  }
}
