package dev.kvmmp.probe.streaming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The samples a sink has accepted and the broker has not yet acknowledged, oldest first, at most
 * {@code capacity} of them. An item leaves only when it is acknowledged ({@link #delivered}) or
 * pushed out by a newer one when the buffer is full: the oldest goes, and is counted as dropped.
 *
 * <p>An item handed to the producer ({@link #takeUnsent}) cannot be recalled. If it is pushed
 * out while in flight, it stops counting against the capacity and its outcome decides how it is
 * counted: delivered if the broker acknowledges it after all, dropped if the send fails. So
 * {@code accepted = delivered + dropped + kept + evicted in flight}, always.
 *
 * <p>Thread-safe: {@link #add} comes from the sampling loop, the rest from the sender and the
 * producer's callbacks.
 *
 * @param <T> what is buffered
 */
final class SampleBuffer<T> {

  /** One accepted item and where it stands. */
  static final class Entry<T> {
    private final T item;
    private boolean inFlight;
    private boolean evicted;

    private Entry(T item) {
      this.item = item;
    }

    T item() {
      return item;
    }
  }

  private final int capacity;
  private final Deque<Entry<T>> kept = new ArrayDeque<>();
  private long delivered;
  private long dropped;
  private int inFlight;
  private int evictedInFlight;

  SampleBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Keeps {@code item}, pushing out the oldest kept item if the buffer is full. */
  synchronized void add(T item) {
    if (kept.size() == capacity) {
      Entry<T> oldest = kept.removeFirst();
      if (oldest.inFlight) {
        oldest.evicted = true;
        evictedInFlight++;
      } else {
        dropped++;
      }
    }
    kept.addLast(new Entry<>(item));
  }

  /** Marks up to {@code max} kept items that are not in flight, oldest first, as in flight. */
  synchronized List<Entry<T>> takeUnsent(int max) {
    List<Entry<T>> taken = new ArrayList<>();
    for (Entry<T> e : kept) {
      if (taken.size() >= max) {
        break;
      }
      if (!e.inFlight) {
        e.inFlight = true;
        inFlight++;
        taken.add(e);
      }
    }
    return taken;
  }

  /** The broker acknowledged {@code entry}: it leaves the buffer. */
  synchronized void delivered(Entry<T> entry) {
    settle(entry);
    delivered++;
    if (!entry.evicted) {
      // Acknowledgements come in send order, so the entry is at or near the head.
      kept.remove(entry);
    }
  }

  /** Sending {@code entry} failed: it is sent again later, unless it was pushed out meanwhile. */
  synchronized void failed(Entry<T> entry) {
    settle(entry);
    if (entry.evicted) {
      dropped++;
    }
  }

  private void settle(Entry<T> entry) {
    if (!entry.inFlight) {
      throw new IllegalStateException("an outcome for an item that was not in flight");
    }
    entry.inFlight = false;
    inFlight--;
    if (entry.evicted) {
      evictedInFlight--;
    }
  }

  /** Items kept: not yet acknowledged, in flight or not, counted against the capacity. */
  synchronized int kept() {
    return kept.size();
  }

  /** Items handed to the producer whose outcome is not known yet, evicted ones included. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** Nothing kept and nothing in flight. */
  synchronized boolean isSettled() {
    return kept.isEmpty() && inFlight == 0;
  }

  synchronized long delivered() {
    return delivered;
  }

  synchronized long dropped() {
    return dropped;
  }

  synchronized int evictedInFlight() {
    return evictedInFlight;
  }

  int capacity() {
    return capacity;
  }
}
