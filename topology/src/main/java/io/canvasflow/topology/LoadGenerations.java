package io.canvasflow.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which loads of a model version {@link ModelRouter} still wants. Each version on the models topic
 * has a generation, a new one at each of its publications (the first too), and each load is stamped
 * with the generation it was asked for in. A load of an older generation ends stale, whatever its
 * outcome: the publication it read is gone or replaced (the follower may have deleted its folder),
 * and a load of the current one is queued behind it. A removed version's generation is forgotten,
 * so that the table holds only the versions on the models topic; a load stamped before that is
 * still stale, since every stamp is a number {@link #next} handed out, never 0 (a forgotten
 * version's), and those only increase. Not thread-safe: the router's lock guards it.
 */
final class LoadGenerations {

    private final Map<String, Long> current = new HashMap<>();
    private final Map<String, Long> loading = new HashMap<>();
    private long last;

    /**
     * The version was published (the first time, or again): the loads of an earlier publication
     * under way are stale.
     */
    void next(String version) {
        current.put(version, ++last);
    }

    /** The version was removed: the loads of it under way are stale, and it is held no longer. */
    void forget(String version) {
        current.remove(version);
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
        // the router loads only a version it has the folder of, which it records, in its lock,
        // together with next; stamped 0, a load would pass for current once the version is gone
        Long generation = current.get(version);
        if (generation == null) {
            throw new IllegalStateException(
                    "a load of model " + version + " asked before its publication was announced");
        }
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
