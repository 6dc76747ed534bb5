package io.canvasflow.registry;

import io.canvasflow.model.ModelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Versions whose write to the model cache failed on I/O (a full disk, a folder serve may not write
 * in), held to be written again: first {@link #FIRST_RETRY} after the failure, then after twice the
 * last wait, never more than {@link #MAX_RETRY}, until a write works or the version is removed or
 * published again. A version refused for what it holds (a digest that does not check, an invalid
 * {@code model.json}) never comes here: the catalog refuses it, for good. A held version keeps its
 * parameters in memory, as they were while it was put together, so no more than a given number of
 * bytes are held ({@link #trim}): with a full disk and versions still being published, the heap
 * would otherwise fill up with versions that cannot be written. The follower thread's: not
 * thread-safe.
 */
final class PendingWrites {

    /** How long after a first failed write it is tried again. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    /** The longest wait between two tries. */
    static final Duration MAX_RETRY = Duration.ofMinutes(2);

    /**
     * The most parameter bytes held, as serve's follower holds them: a quarter of the heap. What is
     * held comes on top of what the heap must have room for anyway: the version being put together
     * (up to 2 GiB, assembled in memory), the models loaded for the cameras and the frames in
     * flight. A quarter holds the usual few versions of a full disk (the shipped model is 1.5 MiB)
     * and leaves the rest to them; a version larger than that alone is not held.
     */
    static final long MAX_HELD_BYTES = Runtime.getRuntime().maxMemory() / 4;

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

        long bytes() {
            return parameters.stream().mapToLong(p -> p.length).sum();
        }
    }

    private record Pending(Write write, Duration delay, long dueNanos) {}

    private final LongSupplier nanos;
    private final long maxBytes;
    private final Map<String, Pending> byVersion = new LinkedHashMap<>(); // longest held first
    private long heldBytes;

    /**
     * Nothing held yet.
     *
     * @param nanos a monotonic clock, in nanoseconds ({@code System::nanoTime})
     * @param maxBytes the most parameter bytes held once {@link #trim} has been called
     */
    PendingWrites(LongSupplier nanos, long maxBytes) {
        this.nanos = nanos;
        this.maxBytes = maxBytes;
    }

    /** The most parameter bytes held once {@link #trim} has been called. */
    long maxBytes() {
        return maxBytes;
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
        heldBytes += write.bytes() - (before == null ? 0 : before.write().bytes());
        return delay;
    }

    /**
     * Lets versions go while more than the most bytes are held: first one larger than that alone,
     * then those no assignment names (no camera waits for them), then the others, each the longest
     * held first. A version let go stays refused until it is published again.
     *
     * @param assigned whether an assignment names a version
     * @return the versions let go, in that order
     */
    List<String> trim(Predicate<String> assigned) {
        List<Predicate<Write>> firstToGo =
                List.of(w -> w.bytes() > maxBytes, w -> !assigned.test(w.version()), w -> true);
        List<String> letGo = new ArrayList<>();
        for (Predicate<Write> goes : firstToGo) {
            Iterator<Pending> held = byVersion.values().iterator();
            while (heldBytes > maxBytes && held.hasNext()) {
                Write write = held.next().write();
                if (goes.test(write)) {
                    held.remove();
                    heldBytes -= write.bytes();
                    letGo.add(write.version());
                }
            }
        }
        return letGo;
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
        Pending gone = byVersion.remove(version);
        if (gone != null) {
            heldBytes -= gone.write().bytes();
        }
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
