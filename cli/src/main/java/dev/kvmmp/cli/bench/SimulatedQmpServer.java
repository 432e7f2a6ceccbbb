package dev.kvmmp.cli.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * QMP monitors of simulated VMs, all served by one thread as QEMU serves its monitor from its main
 * loop: every socket takes any number of clients (another probe on the host may connect too),
 * each greeted and answered line by line by its {@link Monitor}. Runs in the benchmark's own
 * process, so its CPU is not counted as the probe's.
 */
final class SimulatedQmpServer implements AutoCloseable {

  private static final int READ_BUFFER_BYTES = 16 * 1024;

  /** One VM's monitor: what it greets with and how it answers a request line. */
  interface Monitor {
    byte[] greeting();

    byte[] answer(String requestLine);
  }

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;

  SimulatedQmpServer() throws IOException {
    selector = Selector.open();
    thread = new Thread(this::serve, "simulated-qmp");
    thread.setDaemon(true);
    thread.start();
  }

  /** Listens on {@code socket} for clients of {@code monitor}. */
  void listen(Path socket, Monitor monitor) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      server.configureBlocking(false);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
    }
    // Channels register with a selector only from its own thread without blocking on select().
    pending.add(() -> register(server, SelectionKey.OP_ACCEPT, monitor));
    selector.wakeup();
  }

  private void serve() {
    try {
      while (!stopped) {
        selector.select();
        for (Runnable task; (task = pending.poll()) != null; ) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      // The selector broke: nothing more to serve; the probe sees its connections close.
    } finally {
      closeAll();
    }
  }

  private void closeAll() {
    for (SelectionKey key : selector.keys()) {
      closeQuietly(key.channel());
    }
    closeQuietly(selector);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Closing at the end of a benchmark; nothing left to do about it.
    }
  }

  private void handle(SelectionKey key) {
    try {
      if (key.isAcceptable()) {
        SocketChannel client = ((ServerSocketChannel) key.channel()).accept();
        if (client != null) {
          client.configureBlocking(false);
          Monitor monitor = (Monitor) key.attachment();
          Client state = new Client(monitor);
          state.out.add(ByteBuffer.wrap(monitor.greeting()));
          register(client, SelectionKey.OP_READ | SelectionKey.OP_WRITE, state);
        }
        return;
      }
      Client client = (Client) key.attachment();
      SocketChannel channel = (SocketChannel) key.channel();
      if (key.isReadable() && !client.read(channel)) {
        key.cancel();
        channel.close();
        return;
      }
      client.flush(channel);
      key.interestOps(SelectionKey.OP_READ | (client.out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
    } catch (IOException e) {
      // A client that hangs up mid-reply is the probe ending: drop the connection only.
      key.cancel();
      closeQuietly(key.channel());
    }
  }

  private void register(SelectableChannel channel, int ops, Object attachment) {
    try {
      channel.register(selector, ops, attachment);
    } catch (IOException e) {
      closeQuietly(channel);
    }
  }

  /** One connection: the bytes of a request line read so far, and replies not yet written. */
  private static final class Client {
    private final Monitor monitor;
    private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Queue<ByteBuffer> out = new ArrayDeque<>();

    Client(Monitor monitor) {
      this.monitor = monitor;
    }

    /** Reads what arrived and queues a reply per complete line; false at end of stream. */
    boolean read(SocketChannel channel) throws IOException {
      if (channel.read(in) < 0) {
        return false;
      }
      in.flip();
      int start = 0;
      for (int i = 0; i < in.limit(); i++) {
        if (in.get(i) == '\n') {
          String line = new String(in.array(), start, i - start, StandardCharsets.UTF_8);
          out.add(ByteBuffer.wrap(monitor.answer(line)));
          start = i + 1;
        }
      }
      in.position(start);
      in.compact();
      if (!in.hasRemaining()) {
        throw new IOException("request line longer than " + READ_BUFFER_BYTES + " bytes");
      }
      return true;
    }

    void flush(SocketChannel channel) throws IOException {
      while (!out.isEmpty()) {
        channel.write(out.peek());
        if (out.peek().hasRemaining()) {
          return;
        }
        out.poll();
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    selector.wakeup();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
