package io.canvasflow.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ModelRouter} has said once about each model version (refused, removed, still being
 * read, not published; some per camera). A version's notes are forgotten when it changes state
 * (published again, loaded, refused, removed), so that the same news of its next state is said
 * again, and when no assignment names it any more, so that they do not pile up over the versions
 * and cameras an instance has ever seen. Not thread-safe: the router's lock guards it.
 */
final class OnceNotes {

    private final Map<String, Set<String>> said = new HashMap<>();

    /**
     * Records a note about a version.
     *
     * @return true the first time since the version's notes were last forgotten
     */
    boolean first(String version, String note) {
        return said.computeIfAbsent(version, v -> new HashSet<>()).add(note);
    }

    /** Forgets what was said about a version. */
    void forget(String version) {
        said.remove(version);
    }

    /** Forgets what was said about any version but these. */
    void keepOnly(Set<String> versions) {
        said.keySet().retainAll(versions);
    }
}
