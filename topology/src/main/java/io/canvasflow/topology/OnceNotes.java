package io.canvasflow.topology;

import java.util.EnumMap;
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

    /** What is said of a version. */
    enum Note {
        READING,
        MISSING,
        REFUSED,
        REMOVED
    }

    /**
     * Per version and note, the cameras it was said for ("" for a note about the version as a
     * whole): asked at every frame of a camera on a refused or removed version, it builds nothing.
     */
    private final Map<String, Map<Note, Set<String>>> said = new HashMap<>();

    /**
     * Records a note about a version as a whole.
     *
     * @return true the first time since the version's notes were last forgotten
     */
    boolean first(String version, Note note) {
        return first(version, note, "");
    }

    /**
     * Records a note about a version for one camera.
     *
     * @return true the first time for this camera since the version's notes were last forgotten
     */
    boolean first(String version, Note note, String cameraId) {
        return said.computeIfAbsent(version, v -> new EnumMap<>(Note.class))
                .computeIfAbsent(note, n -> new HashSet<>())
                .add(cameraId);
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
