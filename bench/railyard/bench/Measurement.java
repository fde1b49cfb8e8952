package railyard.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What one measured run reports, taken inside its own JVM: wall time of the measured section, the
 * process's CPU time (every thread, JIT and GC included), and the largest heap in use right after a
 * collection, which is the live set rather than garbage waiting to be collected.
 */
public final class Measurement {
  private final AtomicLong peakHeapAfterGc = new AtomicLong();
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private long startNanos;
  private long startCpuNanos;
  private long wallNanos;
  private long cpuNanos;

  private Measurement() {}

  /** Starts listening to collections; call first thing in main, before the workload is touched. */
  public static Measurement begin() {
    Measurement m = new Measurement();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(
          (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
              m.recordAfterGc(
                  GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
            }
          },
          null,
          null);
    }
    return m;
  }

  private void recordAfterGc(GarbageCollectionNotificationInfo info) {
    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
        .mapToLong(MemoryUsage::getUsed).sum();
    peakHeapAfterGc.accumulateAndGet(used, Math::max);
  }

  /** Marks the start of the timed section (after the workload exists and the JVM is up). */
  public void startTimer() {
    startNanos = System.nanoTime();
    startCpuNanos = processCpuNanos();
  }

  public void stopTimer() {
    wallNanos = System.nanoTime() - startNanos;
    cpuNanos = processCpuNanos() - startCpuNanos;
  }

  public Measurement put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public double wallSeconds() {
    return wallNanos / 1e9;
  }

  public double cpuSeconds() {
    return cpuNanos / 1e9;
  }

  /** Collects once more so a run too short to trigger a collection still reports its live set. */
  public long peakHeapAfterGcBytes() {
    System.gc();
    return peakHeapAfterGc.get();
  }

  /** Milliseconds from the JVM's launch to now. */
  public static long sinceJvmStartMillis() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** The one line the harness reads: {@code BENCH-RESULT {...}}. */
  public String resultLine(long events) {
    Map<String, Object> all = new LinkedHashMap<>(fields);
    all.put("events", events);
    all.put("wallSeconds", round(wallSeconds()));
    all.put("cpuSeconds", round(cpuSeconds()));
    all.put("eventsPerWallSecond", Math.round(events / wallSeconds()));
    all.put("eventsPerCpuSecond", Math.round(events / cpuSeconds()));
    all.put("peakHeapAfterGcMiB", peakHeapAfterGcBytes() >> 20);
    return "BENCH-RESULT " + Json.object(all);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
