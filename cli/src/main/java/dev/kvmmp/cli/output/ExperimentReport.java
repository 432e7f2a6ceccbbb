package dev.kvmmp.cli.output;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.RunCounts;
import java.io.PrintWriter;
import java.util.Locale;

/** An experiment's headline, then its run table. */
public final class ExperimentReport {

  private ExperimentReport() {}

  public static void print(GetExperimentResponse response, PrintWriter out) {
    out.println(headline(response.getExperiment()));
    out.println();
    RunTable.print(response.getRunsList(), out);
    GuestSideTable.print(response.getRunsList(), out);
  }

  public static String headline(Experiment experiment) {
    RunCounts c = experiment.getRunCounts();
    return String.format(Locale.ROOT,
        "experiment %s '%s': %s — %d runs: %d succeeded, %d failed, %d cancelled, %d pending, "
            + "%d running (warm-up %s, window %s each)%s",
        experiment.getId(), experiment.getSpec().getName(), stateName(experiment),
        c.getTotal(), c.getSucceeded(), c.getFailed(), c.getCancelled(), c.getPending(),
        c.getRunning(), Durations.toString(experiment.getSpec().getWarmup()),
        Durations.toString(experiment.getSpec().getDuration()),
        experiment.getReason().isEmpty() ? "" : " — " + experiment.getReason());
  }

  public static String stateName(Experiment experiment) {
    return experiment.getState().name().substring("EXPERIMENT_STATE_".length())
        .toLowerCase(Locale.ROOT);
  }
}
