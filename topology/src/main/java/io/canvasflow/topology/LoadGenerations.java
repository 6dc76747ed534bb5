package io.canvasflow.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which loads of a model version {@link ModelRouter} still wants. Each version has a generation,
 * new whenever it is published again or removed, and each load is stamped with the generation it
 * was asked for in. A load of an older generation ends stale, whatever its outcome: the publication
 * it read is gone or replaced (the follower may have deleted its folder), and a load of the current
 * one is queued behind it. Not thread-safe: the router's lock guards it.
 */
final class LoadGenerations {

    private final Map<String, Long> current = new HashMap<>();
    private final Map<String, Long> loading = new HashMap<>();
    private long last;

    /** The version was published again or removed: the loads of it under way are stale. */
    void next(String version) {
        current.put(version, ++last);
    }

    /** Whether a load of the version's current generation is queued or running. */
    boolean loading(String version) {
        return Objects.equals(loading.get(version), current(version));
    }

    /**
     * Stamps a load about to be queued.
     *
     * @return its generation
     */
    long start(String version) {
        long generation = current(version);
        loading.put(version, generation);
        return generation;
    }

    /** Whether a load is of the version's current generation. */
    boolean isCurrent(String version, long generation) {
        return generation == current(version);
    }

    /** A load ended, or was skipped. */
    void ended(String version, long generation) {
        loading.remove(version, generation);
    }

    private long current(String version) {
        return current.getOrDefault(version, 0L);
    }
}
