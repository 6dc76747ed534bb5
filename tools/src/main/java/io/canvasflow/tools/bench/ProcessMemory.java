package io.canvasflow.tools.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory figures a soak watches: the JVM heap, the process's resident set (from {@code
 * /proc/self/status}, so native memory such as PyTorch's counts too) and DJL's live NDArrays.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Heap bytes in use now (live and not yet collected). */
    public static long heapUsed() {
        return heap().getUsed();
    }

    /** Heap bytes the JVM has reserved from the OS. */
    public static long heapCommitted() {
        return heap().getCommitted();
    }

    private static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    /**
     * The resident set size, {@code VmRSS} of {@code /proc/self/status}.
     *
     * @return bytes, or -1 where there is no {@code /proc} (not Linux)
     */
    public static long rssBytes() {
        return rssBytes(STATUS);
    }

    /**
     * Another process's resident set size, {@code VmRSS} of {@code /proc/PID/status}.
     *
     * @param pid the process
     * @return bytes, or -1 where it cannot be read
     */
    public static long rssBytes(long pid) {
        return rssBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long rssBytes(Path status) {
        try {
            List<String> lines = Files.readAllLines(status);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB")
                            ? value * 1024
                            : value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: not Linux
        }
        return -1;
    }

    /**
     * NDArrays alive in the default engine: every array attached to its system manager or to any
     * manager below it (models, segmenters, per-frame managers), by DJL's public {@link
     * NDManager#getManagedArrays()}. Arrays a caller detached from every manager are not seen.
     *
     * @return the count, or -1 when it cannot be read
     */
    public static long liveNdArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            NDManager system = probe.getParentManager();
            return (system == null ? probe : system).getManagedArrays().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
