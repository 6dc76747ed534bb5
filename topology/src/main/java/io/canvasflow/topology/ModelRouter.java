package io.canvasflow.topology;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.registry.ModelCatalog;
import io.canvasflow.registry.ModelFollower;
import io.canvasflow.schemas.avro.ModelErrorReason;
import io.canvasflow.topology.LoadedModels.Entry;
import io.canvasflow.topology.OnceNotes.Note;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model segments a camera's frame: the version its assignment names once that model is
 * loaded, the model the camera had while it loads, and the default for a camera nothing assigns
 * (any more: an unassigned camera goes back to the default, as a restarted instance would give it).
 * Never waits: a newly needed model is loaded and checked on a loader thread, and the camera
 * switches at its first frame after that (the canvas policy turns the version change into a
 * zero-canvas frame with reset reason MODEL_VERSION_CHANGE).
 *
 * <p>At most {@code models.cache.size} models stay loaded; the least recently used one goes first,
 * never the default, a version an assignment names, nor the model a camera keeps while its assigned
 * version is not loaded. A model is closed only when no frame holds it: a frame holds a {@link
 * Lease}. A version that cannot be loaded is refused once, with one log line and a {@code
 * model-errors} event, and the cameras keep their model: a camera assigned a refused version stays
 * on its last good model, said once per camera and refusal, until the version is published again.
 *
 * <p>A version removed from the models topic serves no camera from the moment the follower says so:
 * it is unloaded (closed once its last frame is done), and a camera whose assignment still names it
 * (an assign that raced the removal) is served as an unassigned camera, until the version is
 * published again. The one exception: with no fallback, a removed version that is the only model
 * loaded stays until another is loaded, since every frame would fail meanwhile. A load that ends
 * after its version was removed, or published again and announced ready, is of a publication nobody
 * wants any more: it is closed, neither kept nor refused. (A new publication the catalog refuses
 * does not end a load of the earlier one: that load is kept and serves, whichever ends first.)
 */
public final class ModelRouter implements ModelFollower.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRouter.class);

    /** Where a refused model is reported (the {@code model-errors} topic). */
    public interface ErrorSink {

        /**
         * Reports a refused version.
         *
         * @param version the version, null for an unreadable record
         * @param reason why
         * @param message one sentence
         */
        void refused(String version, ModelErrorReason reason, String message);
    }

    /** A model held for one frame; closing it lets an evicted model close. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The model. */
        public ModelSource model() {
            return entry.source;
        }

        @Override
        public void close() {
            entry.release();
        }
    }

    private final ModelCatalog catalog;
    private final Function<Path, ModelSource> loadFolder;
    private final ErrorSink errors;
    private final Entry fallback;

    /** The models loaded; also the lock of everything else here. */
    private final LoadedModels loaded;

    /** Kept for every camera served in the last few minutes (not for every one ever served). */
    private final CameraModels cameraModel;

    // Like everything below, only touched under the lock: a version is available exactly when it
    // has a load generation (see modelReady, modelRemoved)
    private final Map<String, Path> available = new HashMap<>();
    private final Map<String, String> refused = new HashMap<>();
    private final LoadGenerations loads = new LoadGenerations();
    private final Set<String> removed = new HashSet<>();

    /** A removed version kept loaded as the only model there is (no fallback), or null. */
    private String keptRemoved;

    private final OnceNotes told = new OnceNotes();
    private final ExecutorService loader;
    private boolean closed;

    private ModelRouter(
            ModelCatalog catalog,
            Entry fallback,
            Function<Path, ModelSource> loadFolder,
            int capacity,
            long cameraIdleMs,
            ErrorSink errors) {
        this.catalog = catalog;
        this.cameraModel = new CameraModels(System::currentTimeMillis, cameraIdleMs);
        this.loadFolder = loadFolder;
        this.errors = errors;
        this.fallback = fallback;
        this.loaded = new LoadedModels(fallback, capacity);
        this.loader =
                catalog == null
                        ? null
                        : Executors.newSingleThreadExecutor(
                                r -> {
                                    Thread t = new Thread(r, "canvasflow-model-loader");
                                    t.setDaemon(true);
                                    return t;
                                });
    }

    /**
     * One model for every camera.
     *
     * @param model the model; the router does not close it
     * @return the router
     */
    public static ModelRouter fixed(ModelSource model) {
        return new ModelRouter(
                null,
                new Entry(Objects.requireNonNull(model, "model"), false),
                dir -> ModelSource.load(dir, DeviceChoice.CPU),
                1,
                CameraMeters.IDLE_MS,
                (v, r, m) -> {});
    }

    /**
     * A router that follows the assignments in a catalog; attach it to the follower that fills the
     * catalog. It remembers which model a camera had for five minutes without a frame, as long as
     * serve keeps a canvas by default.
     *
     * @param catalog the followed registry
     * @param fallback the model of cameras that nothing assigns (serve's model directory), or null
     * @param ownsFallback whether closing the router closes the fallback
     * @param device where to run loaded models
     * @param capacity how many models to keep loaded
     * @param errors where refused models are reported
     * @return the router; closing it closes every model it loaded and the fallback
     */
    public static ModelRouter following(
            ModelCatalog catalog,
            ModelSource fallback,
            boolean ownsFallback,
            DeviceChoice device,
            int capacity,
            ErrorSink errors) {
        return following(
                catalog,
                fallback,
                ownsFallback,
                dir -> ModelSource.load(dir, device),
                capacity,
                CameraMeters.IDLE_MS,
                errors);
    }

    /**
     * As {@link #following(ModelCatalog, ModelSource, boolean, DeviceChoice, int, ErrorSink)}, with
     * the function that loads a version's folder (a test seam, through which a test sees each model
     * the router loads, and whether it was closed, or holds a load while it acts) and how long a
     * camera's model is remembered: serve's is as long as its canvas ({@link
     * IdleCanvases#retentionMs}), so that a canvas kept is seeded by the model that made it.
     *
     * @param catalog the followed registry
     * @param fallback the model of cameras that nothing assigns, or null
     * @param ownsFallback whether closing the router closes the fallback
     * @param loadFolder loads the model in a version's folder, as {@link ModelSource#load} does
     * @param capacity how many models to keep loaded
     * @param cameraIdleMs how long a camera's model is remembered without a frame
     * @param errors where refused models are reported
     * @return the router
     */
    public static ModelRouter following(
            ModelCatalog catalog,
            ModelSource fallback,
            boolean ownsFallback,
            Function<Path, ModelSource> loadFolder,
            int capacity,
            long cameraIdleMs,
            ErrorSink errors) {
        Entry entry = fallback == null ? null : new Entry(fallback, ownsFallback);
        return new ModelRouter(catalog, entry, loadFolder, capacity, cameraIdleMs, errors);
    }

    /**
     * The model for a camera's frame, held until the lease is closed. Never waits for a load.
     *
     * @param cameraId the camera
     * @return the lease
     * @throws IllegalStateException when no model at all is loaded
     */
    public Lease acquire(String cameraId) {
        String wanted = catalog == null ? null : catalog.resolve(cameraId).orElse(null);
        Entry entry;
        synchronized (loaded) {
            entry = choose(cameraId, wanted);
            entry.acquire();
            // in the lock: eviction reads it to know which models cameras are kept on
            cameraModel.put(cameraId, entry.source.spec().version());
        }
        return new Lease(entry);
    }

    /** The model a camera's frame gets, given the version its assignment names. Holds the lock. */
    private Entry choose(String cameraId, String wanted) {
        if (wanted != null && removed.contains(wanted)) {
            sayRemoved(wanted, cameraId);
            wanted = null; // served as an unassigned camera until it is published again
        }
        Entry entry = wanted == null ? null : loaded.get(wanted);
        // served its version, though a later publication of it may have been refused: no refusal
        // to say to this camera
        boolean assignedServed = entry != null;
        boolean kept = false;
        if (entry == null && wanted != null) {
            request(wanted, cameraId);
            // its model is on its way, or refused: the camera keeps the one it has (evict leaves
            // it loaded)
            String current = cameraModel.get(cameraId);
            entry = current == null ? null : loaded.get(current);
            kept = entry != null;
        }
        if (entry == null) {
            // nothing assigns it (any more): the default, as a fresh instance would give it
            entry = defaultEntry(cameraId);
        }
        if (entry == null) {
            throw new IllegalStateException(
                    "no model is loaded for camera " + cameraId + " (nor a default)");
        }
        String why = assignedServed || wanted == null ? null : refused.get(wanted);
        if (why != null && told.first(wanted, Note.REFUSED, cameraId)) {
            LOG.warn(
                    "camera {} is assigned model {}, which was refused ({}); it {} {} until {} is"
                            + " published again",
                    cameraId,
                    wanted,
                    why,
                    kept ? "keeps its last good model" : "has no last good model: it gets",
                    entry.source.spec().version(),
                    wanted);
        }
        return entry;
    }

    private void sayRemoved(String version, String cameraId) {
        if (told.first(version, Note.REMOVED, cameraId)) {
            LOG.warn(
                    "camera {} is assigned model {}, which was removed from the models topic; it is"
                            + " served as an unassigned camera until {} is published again",
                    cameraId,
                    version,
                    version);
        }
    }

    /**
     * The default assignment's model if loaded, else the fallback. With neither (no model.dir, no
     * default loaded), the camera keeps the model it has if it is still loaded, else gets the most
     * recently loaded one: not the most recently used, which would switch it, and reset its canvas,
     * with every other camera's frame.
     */
    private Entry defaultEntry(String cameraId) {
        Optional<String> assigned = catalog == null ? Optional.empty() : catalog.defaultVersion();
        Entry entry = assigned.map(loaded::get).orElse(null);
        if (entry == null) {
            entry = fallback;
        }
        if (entry == null) {
            String current = cameraModel.get(cameraId);
            entry = current == null ? null : loaded.get(current);
        }
        if (entry == null) {
            entry = loaded.mostRecentlyLoaded();
        }
        return entry;
    }

    /**
     * Asks for a version to be loaded; says once when it is still being read or not on the models
     * topic (a refused one is said by {@link #choose}). Holds the lock.
     */
    private void request(String version, String cameraId) {
        // a load of an earlier publication does not count: it ends stale, and this one is queued
        if (loads.loading(version) || refused.containsKey(version)) {
            return;
        }
        Path dir = available.get(version);
        if (dir == null && catalog.isOnTopic(version)) {
            // its chunks are arriving, or it is put together and checked: not missing. Asked
            // without the catalog's lock, which its thread takes before this one's
            if (told.first(version, Note.READING)) {
                LOG.info(
                        "model {} is assigned (camera {}) and still being read from the models"
                                + " topic; cameras keep their model until it is ready",
                        version,
                        cameraId);
            }
            return;
        }
        if (dir == null) {
            if (told.first(version, Note.MISSING)) {
                LOG.warn(
                        "model {} is assigned (camera {}) but not on the models topic; cameras"
                                + " keep their model until it is published",
                        version,
                        cameraId);
            }
            return;
        }
        long generation = loads.start(version);
        loader.execute(() -> load(version, dir, generation));
    }

    private void load(String version, Path dir, long generation) {
        synchronized (loaded) {
            if (closed || !loads.isCurrent(version, generation)) {
                loads.ended(version, generation);
                return; // removed or published again while it waited: not this publication
            }
        }
        long start = System.nanoTime();
        ModelSource source = null;
        String failure = null;
        boolean stale;
        try {
            source = loadFolder.apply(dir);
        } catch (RuntimeException | Error e) {
            // ModelLoadException for a bad artifact; DJL's own (no memory, no native library);
            // an Error too (no heap for its parameters): refused, where an empty entry was kept
            // that every frame of its cameras then failed on
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            synchronized (loaded) {
                loads.ended(version, generation);
                // removed, or published again, while it loaded: no camera may be served by the
                // publication it read, and its failure (the follower deleted the folder) says
                // nothing of the one published now, which request queued behind it
                stale = !closed && !loads.isCurrent(version, generation);
                if (stale || closed) {
                    if (source != null) {
                        source.close();
                        source = null;
                    }
                    failure = null;
                } else if (failure != null) {
                    // only here, under the lock: a re-publication announced once it is released
                    // clears it and is loaded
                    refused.put(version, ModelErrorReason.INVALID_MODEL.name());
                    told.forget(version);
                } else {
                    // replaces the removed publication kept until another was loaded, if it is
                    loaded.put(version, new Entry(source, true));
                    refused.remove(version);
                    told.forget(version);
                    unloadKeptRemoved(version);
                    evict(version);
                }
            }
        }
        if (stale) {
            LOG.info(
                    "model {} was removed or published again while it loaded; that load is"
                            + " dropped",
                    version);
        } else if (failure != null) {
            report(
                    version,
                    ModelErrorReason.INVALID_MODEL,
                    "model " + version + " refused: " + failure);
        } else if (source != null) {
            LOG.info(
                    "model {} loaded in {} ms; its cameras switch at their next frame",
                    version,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Unloads what models.cache.size has no room for (see {@link LoadedModels#evict}), but none of
     * the versions {@link CameraModels#pinned} keeps. Holds the lock.
     */
    private void evict(String justLoaded) {
        String fallbackVersion = fallback == null ? null : fallback.source.spec().version();
        loaded.evict(
                justLoaded, () -> cameraModel.pinned(catalog, loaded, fallbackVersion, removed));
    }

    /** Says a refusal, already recorded under the lock, and reports it on model-errors. */
    private void report(String version, ModelErrorReason reason, String message) {
        LOG.warn("{}", message);
        errors.refused(version, reason, message);
    }

    /**
     * Loads the versions the assignments name that are ready, the default first, and waits for
     * them: at startup, so that the first frames already get their model. All of them, past the
     * capacity too: an assigned version is never unloaded, and one left out would be loaded at its
     * camera's first frame, which the fallback would segment first.
     *
     * @param timeout how long to wait at most
     */
    public void preloadAssigned(java.time.Duration timeout) throws InterruptedException {
        if (catalog == null) {
            return;
        }
        synchronized (loaded) {
            catalog.assignedVersions().stream()
                    .filter(available::containsKey)
                    .filter(v -> !loaded.containsKey(v))
                    .forEach(v -> request(v, "(startup)"));
        }
        try {
            // The loader runs its tasks in order: once this one has run, so have the loads.
            loader.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            LOG.warn("assigned models not loaded within {}; serving with what is loaded", timeout);
        }
    }

    /** Whether some model is loaded (the fallback or a preloaded one). */
    public boolean hasModel() {
        synchronized (loaded) {
            return loaded.size() > 0;
        }
    }

    /** The versions loaded now, least recently used first. */
    public Set<String> loadedVersions() {
        synchronized (loaded) {
            return loaded.versions();
        }
    }

    @Override
    public void modelReady(ModelSpec spec, Path dir) {
        String version = spec.version();
        synchronized (loaded) {
            // with the new generation: a load of the old one that failed just before refuses
            // nothing after this
            refused.remove(version);
            removed.remove(version);
            loads.next(version); // loads of it under way end stale
            available.put(version, dir); // a frame that sees it stamps its load with the new one
            told.forget(version);
            // the removed publication kept as the only model serves until this one is loaded in
            // its place (load() lets it go then); if this one is refused, until another is loaded
            boolean replace = version.equals(keptRemoved);
            if (catalog != null
                    && (replace
                            || (catalog.assignedVersions().contains(version)
                                    && !loaded.containsKey(version)))) {
                request(version, "(preload)");
            }
            evict(null);
        }
    }

    @Override
    public void modelRefused(String version, ModelErrorReason reason, String message) {
        if (version == null) {
            // an unreadable record: the follower logged its line, so it is only reported
            errors.refused(null, reason, message);
            return;
        }
        synchronized (loaded) {
            removed.remove(version); // published again, and refused
            refused.put(version, reason.name());
            told.forget(version); // its cameras are told of this refusal too
        }
        report(version, reason, message);
    }

    /**
     * Unloads a removed version at once (its frames in flight finish first): the cameras an
     * assignment still points at it, after an assign that raced the removal, are served as
     * unassigned ones. With no fallback, the only model loaded stays until another is loaded.
     */
    @Override
    public void modelRemoved(String version) {
        boolean unloaded = false;
        boolean kept = false;
        boolean heardOf; // announced ready or refused: a start reading the topic hears of others
        synchronized (loaded) {
            heardOf =
                    refused.remove(version) != null
                            | available.remove(version) != null
                            | loaded.containsKey(version);
            removed.add(version);
            loads.forget(version); // its loads under way end stale
            told.forget(version);
            if (fallback == null && loaded.size() == 1 && loaded.containsKey(version)) {
                // unloaded, it would leave every frame without a model (and dead-lettered)
                keptRemoved = version;
                kept = true;
            } else {
                unloaded = loaded.unload(version);
            }
            evict(null);
        }
        if (kept) {
            LOG.warn(
                    "model {} was removed from the models topic, but it is the only model loaded"
                            + " and serve has no model.dir to fall back on: it serves every camera"
                            + " until another model is loaded",
                    version);
            return;
        }
        if (!heardOf) {
            // published and removed before this instance read the topic: nothing changed here
            LOG.debug("model {} was removed from the models topic before it was ready", version);
            return;
        }
        LOG.info(
                "model {} was removed from the models topic{}",
                version,
                unloaded ? "; unloaded, no camera is served by it any more" : "");
    }

    @Override
    public void assignmentsChanged() {
        if (catalog == null) {
            return;
        }
        synchronized (loaded) {
            Set<String> assigned = catalog.assignedVersions();
            for (String version : assigned) {
                if (!loaded.containsKey(version) && available.containsKey(version)) {
                    request(version, "(preload)");
                }
            }
            told.keepOnly(assigned); // what was said of a version nothing assigns is said again
            // a removed version nothing assigns needs no mark: assigned again later, it is one
            // nobody published, as for a fresh instance. The kept one goes by unloadKeptRemoved
            removed.removeIf(v -> !assigned.contains(v) && !v.equals(keptRemoved));
            evict(null); // a camera reassigned lets go of the model it was kept on
        }
    }

    /** Unloads the removed version kept as the only model, now that another is loaded. */
    private void unloadKeptRemoved(String justLoaded) {
        if (keptRemoved != null && keptRemoved.equals(justLoaded)) {
            keptRemoved = null; // its new publication, which put retired it for
        }
        if (keptRemoved == null) {
            return;
        }
        loaded.unload(keptRemoved);
        LOG.info(
                "model {}, removed from the models topic, unloaded: {} is loaded",
                keptRemoved,
                justLoaded);
        keptRemoved = null;
    }

    /** Stops loading and closes every model it loaded. */
    @Override
    public void close() {
        if (loader != null) {
            loader.shutdownNow();
            try {
                loader.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (loaded) {
            closed = true;
            loaded.unloadAll();
        }
    }
}
