package dev.kvmmp.coordinator.grpc;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.ProbeServiceGrpc;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probe streams: keeps each connected host's facts and VMs for the inventory. Knob changes and
 * snapshot requests are not sent yet; the host-probe and Kafka issues add them.
 */
public final class ProbeGrpcService extends ProbeServiceGrpc.ProbeServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(ProbeGrpcService.class);

  private final Map<String, HostInfo> hosts = new ConcurrentHashMap<>();
  private final Clock clock;

  public ProbeGrpcService(Clock clock) {
    this.clock = clock;
  }

  public List<HostInfo> hosts() {
    return List.copyOf(hosts.values());
  }

  @Override
  public StreamObserver<ProbeMessage> connect(StreamObserver<CoordinatorToProbe> response) {
    return new StreamObserver<>() {
      private String hostId;

      @Override
      public void onNext(ProbeMessage message) {
        if (hostId == null && !message.hasRegister()) {
          response.onError(Status.FAILED_PRECONDITION
              .withDescription("the first message of a probe stream must be register")
              .asRuntimeException());
          return;
        }
        switch (message.getMessageCase()) {
          case REGISTER -> {
            hostId = message.getRegister().getFacts().getHostId();
            hosts.put(hostId, HostInfo.newBuilder()
                .setFacts(message.getRegister().getFacts())
                .addAllVmIdentities(message.getRegister().getVmsList().stream()
                    .map(VmInfo::getVmIdentity).toList())
                .setConnectedAt(Timestamps.fromMillis(clock.millis()))
                .build());
            log.info("probe of host {} registered", hostId);
          }
          case VMS_CHANGED -> hosts.computeIfPresent(hostId, (id, host) -> host.toBuilder()
              .clearVmIdentities()
              .addAllVmIdentities(message.getVmsChanged().getVmsList().stream()
                  .map(VmInfo::getVmIdentity).toList())
              .build());
          default -> { }
        }
      }

      @Override
      public void onError(Throwable t) {
        gone();
      }

      @Override
      public void onCompleted() {
        gone();
        response.onCompleted();
      }

      private void gone() {
        if (hostId != null) {
          hosts.remove(hostId);
          log.info("probe of host {} disconnected", hostId);
        }
      }
    };
  }
}
