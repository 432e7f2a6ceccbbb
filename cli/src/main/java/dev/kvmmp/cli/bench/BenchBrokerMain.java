package dev.kvmmp.cli.bench;

import dev.kvmmp.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker of {@code kvmmp bench aggregator} in a JVM of its own, so that its CPU time is
 * measured apart from the generator's: an {@link EmbeddedKafka} on a free port of 127.0.0.1,
 * announced on stdout, running until the JVM is stopped (SIGTERM).
 */
public final class BenchBrokerMain {

  static final String READY = "kvmmp bench broker on ";

  private BenchBrokerMain() {}

  /** {@code args[0]}: the data directory. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: BenchBrokerMain DATA_DIR (got " + args.length + " arguments)");
      System.exit(2);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(Path.of(args[0]), 0);
    kafka.start(EmbeddedKafka.DEFAULT_TIMEOUT);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "bench-broker-stop"));
    System.out.println(READY + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
