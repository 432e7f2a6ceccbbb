package dev.kvmmp.probe.daemon;

import dev.kvmmp.metrics.MetricsEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  @Test
  void servesTheProbesFiguresAsPrometheusTextOnLoopback() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProbeMetrics metrics = new ProbeMetrics(registry);
    metrics.sampled(HostSample.newBuilder().setKind(SampleKind.SAMPLE_KIND_WINDOW_START)
        .addVms(VmCounters.newBuilder().addMissing("qmp: connection reset")
            .addMissing("kvm:kvm_exit [exit_reason==12] (HLT): no such tracepoint"))
        .build(), Duration.ofMillis(3));
    metrics.knobRequest("apply", ProbeMetrics.KnobOutcome.REFUSED);
    metrics.connection(true);

    try (MetricsEndpoint endpoint = MetricsEndpoint.start(registry, "127.0.0.1", 0)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("kvmmp_probe_samples_total{kind=\"window_start\"} 1.0")
          .contains("kvmmp_probe_sample_duration_seconds{quantile=\"0.99\"}")
          .contains("kvmmp_probe_vms 1.0")
          .contains("kvmmp_probe_missing_total{kind=\"qmp\"} 1.0")
          .contains("kvmmp_probe_missing_total{kind=\"kvm:kvm_exit\"} 1.0")
          .contains("kvmmp_probe_knob_requests_total{outcome=\"refused\",request=\"apply\"} 1.0")
          .contains("kvmmp_probe_coordinator_connected 1.0")
          .contains("process_cpu_usage");
    }
  }
}
