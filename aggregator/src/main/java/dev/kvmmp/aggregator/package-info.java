/**
 * The aggregator: a Kafka Streams application that joins each run's result with the host
 * snapshots of its window into a run report, and compares the fleets of an experiment.
 */
package dev.kvmmp.aggregator;
