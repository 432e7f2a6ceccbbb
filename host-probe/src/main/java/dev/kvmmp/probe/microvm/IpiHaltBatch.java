package dev.kvmmp.probe.microvm;

/**
 * One measured batch: its round trips, the host's monotonic clock from entering KVM_RUN to the
 * guest's end-of-batch exit, and the sum of the guest's TSC-timed round trips, in ns. The host
 * figure includes one exit to user space and back per batch.
 */
public record IpiHaltBatch(int roundTrips, long hostNs, long guestNs) {}
