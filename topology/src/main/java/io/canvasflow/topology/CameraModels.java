package io.canvasflow.topology;

import io.canvasflow.registry.ModelCatalog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The version each camera last got from {@link ModelRouter}, and the rule of which loaded models
 * eviction keeps for them. Kept for every camera the instance has served: it grows with the
 * cameras, not with the versions. Not thread-safe: the router's lock guards it.
 */
final class CameraModels {

    private final Map<String, String> byCamera = new HashMap<>();

    /** The version a camera last got, or null for a camera not served yet. */
    String get(String cameraId) {
        return byCamera.get(cameraId);
    }

    void put(String cameraId, String version) {
        byCamera.put(cameraId, version);
    }

    /**
     * The versions eviction leaves loaded: those an assignment names (unloading one would only
     * reload it at its camera's next frame, resetting the canvas each time), and those that cameras
     * are kept on while their assigned version is not loaded (refused, or on its way): evicted, the
     * camera would drop to the default, and stay there for as long as its version is refused. A
     * removed version is none of them.
     *
     * <p>Asked only when more models are loaded than the capacity. Resolving costs about 1 to 2 us
     * a camera (10,000 cameras and 50 pattern assignments: 19 ms, measured on a 2-core VM) while
     * every stream thread waits on the lock, so a camera is resolved only when its model could need
     * the pin: loaded, not the fallback, and named by no assignment (a camera on its assigned
     * version, or on the default, costs nothing). A cache per assignment snapshot would not help
     * much: most passes follow an assignment change. Asks the catalog only what it answers without
     * its lock (its assignment snapshot), as the router's lock is held.
     *
     * @param fallbackVersion the fallback's version, or null
     * @param removed the versions removed and not published again
     */
    Set<String> pinned(
            ModelCatalog catalog,
            LoadedModels loaded,
            String fallbackVersion,
            Set<String> removed) {
        Set<String> pinned = new HashSet<>(catalog.assignedVersions());
        byCamera.forEach(
                (camera, version) -> {
                    if (pinned.contains(version)
                            || !loaded.containsKey(version) // (not get: that would use it)
                            || version.equals(fallbackVersion)) {
                        return;
                    }
                    String wanted = catalog.resolve(camera).orElse(null);
                    if (wanted != null
                            && !loaded.containsKey(wanted)
                            && !removed.contains(wanted)) {
                        pinned.add(version);
                    }
                });
        pinned.removeAll(removed);
        return pinned;
    }
}
