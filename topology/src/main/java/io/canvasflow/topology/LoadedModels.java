package io.canvasflow.topology;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models {@link ModelRouter} holds loaded, by version, least recently used first, and the rule
 * that unloads them: beyond {@code models.cache.size} the least recently used one goes, never the
 * fallback (which does not count), the one just loaded, nor one the router pins. An unloaded model
 * is closed once no frame holds it. Not thread-safe: the router's lock, taken on this object,
 * guards it.
 */
final class LoadedModels {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);

    /** A loaded model, counted while frames hold it. */
    static final class Entry {
        final ModelSource source;
        private final boolean owned;
        private int users;
        private boolean retired;

        Entry(ModelSource source, boolean owned) {
            this.source = source;
            this.owned = owned;
        }

        synchronized void acquire() {
            users++;
        }

        synchronized void release() {
            users--;
            closeIfDone();
        }

        synchronized void retire() {
            retired = true;
            closeIfDone();
        }

        private void closeIfDone() {
            if (retired && users == 0 && owned) {
                source.close();
            }
        }
    }

    private final LinkedHashMap<String, Entry> byVersion = new LinkedHashMap<>(16, 0.75f, true);

    /** The versions loaded, in the order they were loaded (byVersion's is the order of use). */
    private final LinkedHashSet<String> loadOrder = new LinkedHashSet<>();

    private final Entry fallback;
    private final int capacity;
    private boolean overrunSaid;

    LoadedModels(Entry fallback, int capacity) {
        this.fallback = fallback;
        this.capacity = capacity;
        if (fallback != null) {
            byVersion.put(fallback.source.spec().version(), fallback);
            loadOrder.add(fallback.source.spec().version());
        }
    }

    /** A version's model, marked as just used; null when it is not loaded. */
    Entry get(String version) {
        return byVersion.get(version);
    }

    boolean containsKey(String version) {
        return byVersion.containsKey(version);
    }

    int size() {
        return byVersion.size();
    }

    /**
     * The most recently loaded model (the fallback counts as loaded first), or null when none is
     * loaded. Not the most recently used: that changes with every camera's frame.
     */
    Entry mostRecentlyLoaded() {
        return loadOrder.stream().reduce((a, b) -> b).map(byVersion::get).orElse(null);
    }

    /** The versions loaded, least recently used first. */
    Set<String> versions() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(byVersion.keySet()));
    }

    /** Adds a loaded model; the one it replaces is closed once its frames are done. */
    void put(String version, Entry entry) {
        Entry before = byVersion.put(version, entry);
        loadOrder.remove(version);
        loadOrder.add(version);
        if (before != null && before != fallback) {
            before.retire();
        }
    }

    /**
     * Unloads a version, but never the fallback; it is closed once its frames are done.
     *
     * @return whether it was unloaded
     */
    boolean unload(String version) {
        Entry entry = byVersion.get(version);
        if (entry == null || entry == fallback) {
            return false;
        }
        byVersion.remove(version).retire();
        loadOrder.remove(version);
        return true;
    }

    /**
     * Drops the least recently used models beyond the capacity. The fallback does not count and
     * stays; so do the pinned ones, and more of them than the capacity overrun it, once said.
     *
     * @param justLoaded a version that stays too, or null
     * @param pinned the versions that stay; asked only when there is something to drop, since it
     *     resolves the assignment of every camera
     */
    void evict(String justLoaded, Supplier<Set<String>> pinned) {
        int counted = byVersion.size() - (fallback == null ? 0 : 1);
        if (counted <= capacity) {
            return;
        }
        Set<String> kept = pinned.get();
        Iterator<Map.Entry<String, Entry>> it = byVersion.entrySet().iterator();
        while (counted > capacity && it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue() == fallback
                    || e.getKey().equals(justLoaded)
                    || kept.contains(e.getKey())) {
                continue;
            }
            it.remove();
            loadOrder.remove(e.getKey());
            counted--;
            LOG.info("model {} unloaded (models.cache.size {})", e.getKey(), capacity);
            e.getValue().retire();
        }
        if (counted > capacity && !overrunSaid) {
            overrunSaid = true;
            LOG.warn(
                    "{} model versions that are assigned, or kept by cameras whose assigned"
                            + " version is not loaded, are loaded, more than models.cache.size {}:"
                            + " all stay loaded; raise models.cache.size to plan for them",
                    counted,
                    capacity);
        }
    }

    /** Unloads every model; each is closed once its frames are done. */
    void unloadAll() {
        byVersion.values().forEach(Entry::retire);
        byVersion.clear();
        loadOrder.clear();
    }
}
