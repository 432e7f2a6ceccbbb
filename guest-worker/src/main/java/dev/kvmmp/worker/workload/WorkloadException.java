package dev.kvmmp.worker.workload;

/** A run could not be measured. The message is shown to the user as the run's failure reason. */
public final class WorkloadException extends Exception {

  public WorkloadException(String message) {
    super(message);
  }

  public WorkloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
