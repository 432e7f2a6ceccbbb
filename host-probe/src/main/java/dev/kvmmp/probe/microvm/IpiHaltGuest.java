package dev.kvmmp.probe.microvm;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The guest of the ipi_halt micro-VM: the bytes of {@code ipi-halt.bin} (assembled from {@code
 * ipi-halt.S} beside it) and the addresses the host must agree on with that source, where every
 * one sits at a fixed {@code .org} or {@code .set}.
 */
final class IpiHaltGuest {

  static final String SOURCE = "ipi-halt.S";
  static final String BINARY = "ipi-halt.bin";

  /** Guest memory: IVT, data, image, stacks and the ring fit in 64 KiB, all below CS limit. */
  static final long MEMORY_BYTES = 0x10000;
  static final int IMAGE = 0x1000;
  static final int A_ENTRY = IMAGE;
  static final int B_ENTRY = IMAGE + 0x60;
  static final int A_HANDLER = IMAGE + 0x70;
  static final int B_HANDLER = IMAGE + 0x80;
  static final int IGNORE_IRQ = IMAGE + 0xA0;
  static final int A_STACK = 0x7000;
  static final int B_STACK = 0x7800;
  static final int A_VECTOR = 0x41;
  static final int B_VECTOR = 0x40;
  static final int DONE_PORT = 0xF0;
  private static final int BATCH = 0x500;
  private static final int RING = 0x8000;
  /** The ring runs from RING to the end of the 64 KiB segment, 8 bytes a round trip. */
  static final int MAX_BATCH = (int) ((MEMORY_BYTES - RING) / Long.BYTES);

  private IpiHaltGuest() {}

  /** The loaded bytes, from the class path. */
  static byte[] image() {
    try (InputStream in = IpiHaltGuest.class.getResourceAsStream(BINARY)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BINARY + " missing beside "
            + IpiHaltGuest.class.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading resource " + BINARY, e);
    }
  }

  /** Copies the image, and points every vector at an {@code iret} but A's and B's. */
  static void load(Pointer memory) {
    byte[] image = image();
    memory.write(IMAGE, image, 0, image.length);
    for (int vector = 0; vector < 256; vector++) {
      setVector(memory, vector, IGNORE_IRQ);
    }
    setVector(memory, A_VECTOR, A_HANDLER);
    setVector(memory, B_VECTOR, B_HANDLER);
  }

  /** Real-mode IVT entry: offset then segment (0) at 4 x vector. */
  static void setVector(Pointer memory, int vector, int handler) {
    memory.setShort(4L * vector, (short) handler);
    memory.setShort(4L * vector + 2, (short) 0);
  }

  /** Round trips in A's next batch, 1 to {@link #MAX_BATCH}. */
  static void setBatch(Pointer memory, int roundTrips) {
    if (roundTrips < 1 || roundTrips > MAX_BATCH) {
      throw new IllegalArgumentException("roundTrips: " + roundTrips + ", expected 1-"
          + MAX_BATCH);
    }
    memory.setShort(BATCH, (short) roundTrips);
  }

  /** The TSC deltas of the last batch of {@code roundTrips}. */
  static long[] ring(Pointer memory, int roundTrips) {
    return memory.getLongArray(RING, roundTrips);
  }
}
