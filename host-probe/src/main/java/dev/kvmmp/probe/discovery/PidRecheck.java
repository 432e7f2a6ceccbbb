package dev.kvmmp.probe.discovery;

import java.util.concurrent.TimeUnit;

/**
 * When discovery reads a process's files again. A process that is not QEMU is looked at again
 * after 1 s, then 2, 4, ... up to every {@link #MAX_DELAY_SECONDS} s: a launcher that forks and
 * then execs QEMU (libvirt does) is caught soon after the exec, and long-lived processes cost
 * almost nothing. A QEMU is looked at again every {@link #MAX_DELAY_SECONDS} s, so that a pid
 * reused by another QEMU between two scans is seen with its new command line.
 *
 * @param dueNanos   when to look again ({@link System#nanoTime()} based)
 * @param delayNanos the delay that led to {@code dueNanos}, doubled at the next look
 */
record PidRecheck(long dueNanos, long delayNanos) {

  static final long FIRST_DELAY_SECONDS = 1;
  static final long MAX_DELAY_SECONDS = 60;
  private static final long FIRST_DELAY = TimeUnit.SECONDS.toNanos(FIRST_DELAY_SECONDS);
  private static final long MAX_DELAY = TimeUnit.SECONDS.toNanos(MAX_DELAY_SECONDS);

  /** For a pid looked at for the first time at {@code now}. */
  static PidRecheck first(long now) {
    return new PidRecheck(now + FIRST_DELAY, FIRST_DELAY);
  }

  boolean due(long now) {
    return now - dueNanos >= 0;
  }

  /** The schedule after a look at {@code now} that found no QEMU. */
  PidRecheck next(long now) {
    long delay = Math.min(delayNanos * 2, MAX_DELAY);
    return new PidRecheck(now + delay, delay);
  }

  /** The schedule of a pid found to be QEMU at {@code now}: looked at again after the longest. */
  static PidRecheck qemu(long now) {
    return new PidRecheck(now + MAX_DELAY, MAX_DELAY);
  }
}
