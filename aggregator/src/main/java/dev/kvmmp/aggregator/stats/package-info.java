/**
 * Statistics of fleet comparisons: run-level samples, a hierarchical bootstrap (hosts, then VMs,
 * then runs) for the ratio of fleet medians, a rank test, and the verdict in words.
 */
package dev.kvmmp.aggregator.stats;
