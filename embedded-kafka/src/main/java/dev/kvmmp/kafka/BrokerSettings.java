package dev.kvmmp.kafka;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of a single-node KRaft broker that is its own controller, on 127.0.0.1.
 *
 * @param logDir where the broker keeps its logs and {@code meta.properties}
 * @param port the client (PLAINTEXT) listener
 * @param controllerPort the KRaft controller listener
 */
record BrokerSettings(Path logDir, int port, int controllerPort) {

  static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;

  BrokerSettings {
    checkPort("port", port);
    checkPort("controllerPort", controllerPort);
    if (port == controllerPort) {
      throw new IllegalArgumentException(
          "port and controllerPort must differ, both were " + port);
    }
  }

  private static void checkPort(String name, int value) {
    if (value < 1 || value > 65_535) {
      throw new IllegalArgumentException(name + " must be in 1..65535, was " + value);
    }
  }

  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    // A static voter set, not a dynamic quorum: with static voters the controller's endpoint is
    // not written into the metadata log, so a data directory stays usable on other ports.
    p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.setProperty("listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
    // On one broker the internal topics must have one replica, or consumers never find a
    // group coordinator and transactions never start.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "4");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    // The first consumer of a group would otherwise wait 3 s for others to join.
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // kvmmp creates its topics with their settings (KvmmpTopics); a topic made up by a typo or a
    // producer that runs first would have the wrong partitions and retention.
    p.setProperty("auto.create.topics.enable", "false");
    // The cleaner's default 128 MiB dedupe buffer is out of proportion on a laptop-sized node.
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "4");
    return p;
  }
}
