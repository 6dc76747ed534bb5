package io.canvasflow.registry;

import io.canvasflow.model.ModelSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Versions whose write to the model cache failed on I/O (a full disk, a folder serve may not write
 * in), held to be written again: first {@link #FIRST_RETRY} after the failure, then after twice the
 * last wait, never more than {@link #MAX_RETRY}, until a write works or the version is removed or
 * published again. A version refused for what it holds (a digest that does not check, an invalid
 * {@code model.json}) never comes here: the catalog refuses it, for good. A held version keeps its
 * parameters in memory, as they were while it was put together. The follower thread's: not
 * thread-safe.
 */
final class PendingWrites {

    /** How long after a first failed write it is tried again. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    /** The longest wait between two tries. */
    static final Duration MAX_RETRY = Duration.ofMinutes(2);

    /**
     * A version to write, as the catalog gave it.
     *
     * @param spec its {@code model.json}
     * @param modelJson the text of its {@code model.json}
     * @param parameters its parameter file, in chunks
     */
    record Write(ModelSpec spec, String modelJson, List<byte[]> parameters) {

        String version() {
            return spec.version();
        }
    }

    private record Pending(Write write, Duration delay, long dueNanos) {}

    private final LongSupplier nanos;
    private final Map<String, Pending> byVersion = new LinkedHashMap<>();

    /**
     * Nothing held yet.
     *
     * @param nanos a monotonic clock, in nanoseconds ({@code System::nanoTime})
     */
    PendingWrites(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * Holds a version whose write failed, to be tried again.
     *
     * @param write the version
     * @return how long until it is tried again
     */
    Duration failed(Write write) {
        Pending before = byVersion.get(write.version());
        Duration delay =
                before == null ? FIRST_RETRY : min(before.delay().multipliedBy(2), MAX_RETRY);
        byVersion.put(
                write.version(), new Pending(write, delay, nanos.getAsLong() + delay.toNanos()));
        return delay;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** Whether a version is held: its write failed and has not worked since. */
    boolean holds(String version) {
        return byVersion.containsKey(version);
    }

    /** Lets a version go: written, removed, published again or refused. */
    void forget(String version) {
        byVersion.remove(version);
    }

    /** The versions whose time to be tried again has come, the longest held first. */
    List<Write> due() {
        long now = nanos.getAsLong();
        return byVersion.values().stream()
                .filter(p -> now - p.dueNanos() >= 0)
                .map(Pending::write)
                .toList();
    }
}
