package dev.kvmmp.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import picocli.CommandLine.Option;

/** Where the coordinator is, shared by every command that talks to one. */
public final class CoordinatorOptions {

  static final String DEFAULT_ADDRESS = "127.0.0.1:7070";

  @Option(names = "--coordinator", paramLabel = "HOST:PORT",
      defaultValue = "${env:KVMMP_COORDINATOR:-" + DEFAULT_ADDRESS + "}",
      description = "Coordinator address (default: $KVMMP_COORDINATOR, else " + DEFAULT_ADDRESS
          + ").")
  String address;

  ManagedChannel open() {
    return Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
  }
}
