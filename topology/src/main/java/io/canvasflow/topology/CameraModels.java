package io.canvasflow.topology;

import io.canvasflow.registry.ModelCatalog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The version each camera last got from {@link ModelRouter}, and the rule of which loaded models
 * eviction keeps for them. A camera is forgotten after as long without a frame as its canvas is
 * kept ({@link IdleCanvases#retentionMs}: its series' five minutes, or {@code canvas.max.gap.ms}
 * when longer), so that a canvas that can still seed a frame is seeded by the model it was made
 * with: it grows with the cameras that send, not with every camera id ever served, and {@link
 * #pinned}'s walk, which every stream thread waits on, with them. A camera that comes back is a
 * camera not served yet. Not thread-safe: the router's lock guards it.
 */
final class CameraModels {

    /** A camera's version and when it was last served; changed in place, once a frame. */
    private static final class Served {
        String version;
        long seenMillis;
    }

    /** How often {@link #put} looks for idle cameras: a camera goes at most this much late. */
    private static final long SWEEP_MS = 60_000L;

    private final Map<String, Served> byCamera = new HashMap<>();
    private final LongSupplier clock;
    private final long idleMs;
    private long sweptMillis;

    /**
     * @param clock the wall clock in milliseconds
     * @param idleMs how long a camera is remembered without a frame
     */
    CameraModels(LongSupplier clock, long idleMs) {
        this.clock = clock;
        this.idleMs = idleMs;
        this.sweptMillis = clock.getAsLong();
    }

    /** The version a camera last got, or null for a camera not served (or forgotten). */
    String get(String cameraId) {
        Served served = byCamera.get(cameraId);
        return served == null ? null : served.version;
    }

    /** Notes the version a camera's frame got now; at most once a minute forgets idle cameras. */
    void put(String cameraId, String version) {
        long now = clock.getAsLong();
        Served served = byCamera.computeIfAbsent(cameraId, c -> new Served());
        served.version = version;
        served.seenMillis = now;
        // a cheap pass (no catalog lookups), under the lock, so only now and then
        if (now - sweptMillis >= SWEEP_MS) {
            forgetIdle(now);
        }
    }

    private void forgetIdle(long now) {
        byCamera.values().removeIf(served -> now - served.seenMillis > idleMs);
        sweptMillis = now;
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
     * its lock (its assignment snapshot), as the router's lock is held. Forgets idle cameras first:
     * a camera that stopped needs no pin.
     *
     * @param fallbackVersion the fallback's version, or null
     * @param removed the versions removed and not published again
     */
    Set<String> pinned(
            ModelCatalog catalog,
            LoadedModels loaded,
            String fallbackVersion,
            Set<String> removed) {
        forgetIdle(clock.getAsLong());
        Set<String> pinned = new HashSet<>(catalog.assignedVersions());
        byCamera.forEach(
                (camera, served) -> {
                    String version = served.version;
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
