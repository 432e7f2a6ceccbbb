package dev.kvmmp.worker.workload;

import java.util.List;

/** Several observers told in turn, as one. */
public final class WindowObservers implements WindowObserver {

  private final List<WindowObserver> observers;

  private WindowObservers(List<WindowObserver> observers) {
    this.observers = List.copyOf(observers);
  }

  public static WindowObserver of(WindowObserver... observers) {
    return new WindowObservers(List.of(observers));
  }

  @Override
  public void windowOpens() {
    for (WindowObserver observer : observers) {
      observer.windowOpens();
    }
  }

  @Override
  public void windowClosed() {
    // Reverse order, so that the innermost snapshot is the closest to the window on both ends.
    for (int i = observers.size() - 1; i >= 0; i--) {
      observers.get(i).windowClosed();
    }
  }
}
