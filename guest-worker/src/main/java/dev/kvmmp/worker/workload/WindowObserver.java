package dev.kvmmp.worker.workload;

/**
 * Told, on the timing thread, just before the measured window opens and just after it closes:
 * where counters that explain the window are snapshotted. Its work is outside every timed round
 * trip.
 */
public interface WindowObserver {

  WindowObserver NONE = new WindowObserver() {
    @Override
    public void windowOpens() {}

    @Override
    public void windowClosed() {}
  };

  void windowOpens();

  void windowClosed();
}
