package dev.kvmmp.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Serves the registry's Prometheus text on {@code GET /metrics}, on one thread. */
public final class MetricsEndpoint implements AutoCloseable {

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "kvmmp-metrics");
    thread.setDaemon(true);
    return thread;
  });

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code bind:port}; port 0 picks a free one.
   *
   * @throws IOException naming the address when it cannot be bound (in use, not local)
   */
  public static MetricsEndpoint start(PrometheusMeterRegistry registry, String bind, int port)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    } catch (IOException e) {
      throw new IOException("--metrics-port: cannot listen on " + bind + ":" + port + " ("
          + e.getMessage() + ")", e);
    }
    MetricsEndpoint endpoint = new MetricsEndpoint(server);
    server.createContext("/metrics", exchange -> serve(exchange, registry));
    server.setExecutor(endpoint.executor);
    server.start();
    return endpoint;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    // stop(n) sleeps the whole n seconds in JDK 17, and a scrape lost at shutdown costs nothing.
    server.stop(0);
    executor.shutdownNow();
  }
}
