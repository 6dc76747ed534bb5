package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FrameJoinBuffer} holds, in bytes by its own estimate, item by item in the order
 * they came, so that the oldest can go first when the join is over its budget. The estimate counts
 * what a record keeps reachable: its byte arrays whole (an image, a class map, the array behind a
 * slice), its strings at two bytes a character, and a fixed overhead for the objects around them
 * (the record, its buffers, the join's map entries and keys). It is meant to be no smaller than the
 * heap a record takes, so that the budget bounds the heap, not a guess below it; but G1 gives an
 * array over half a heap region a region of its own, so frames of about 1 MB took about 5% more
 * than counted in a 256 MiB heap (1 MiB regions). Not thread-safe.
 *
 * @param <K> what names an item
 */
final class HeldBytes<K> {

    /**
     * The objects around a record's arrays: the record, its {@link java.time.Instant}s and {@link
     * ByteBuffer}s, array headers, and the join's own entry, key and size for it (about 370 bytes
     * counted field by field, rounded up).
     */
    static final int RECORD_OVERHEAD = 512;

    /**
     * A camera's own join state, without its frames and masks: its state object, two maps with
     * their tables (kept once allocated), its entries and keys (about 500 bytes measured, with
     * 100,000 cameras in a heap, rounded up).
     */
    static final int CAMERA_OVERHEAD = 512;

    private final Map<K, Long> items = new LinkedHashMap<>();
    private long bytes;

    /** Counts an item as the newest; an item already held is counted anew, as the newest. */
    void add(K item, long size) {
        remove(item);
        items.put(item, size);
        bytes += size;
    }

    /** Stops counting an item; nothing when it is not held. */
    void remove(K item) {
        Long size = items.remove(item);
        if (size != null) {
            bytes -= size;
        }
    }

    /** The item held longest, or null when none is. */
    K oldest() {
        return items.isEmpty() ? null : items.keySet().iterator().next();
    }

    /** The bytes of every item held. */
    long bytes() {
        return bytes;
    }

    /** Stops counting every item. */
    void clear() {
        items.clear();
        bytes = 0;
    }

    /** A frame's bytes: its image, its ground truth, its strings and its objects. */
    static long of(Frame frame) {
        long size = RECORD_OVERHEAD + array(frame.getImage()) + array(frame.getGroundTruth());
        size += chars(frame.getCameraId());
        for (Map.Entry<String, String> entry : frame.getMetadata().entrySet()) {
            size += chars(entry.getKey()) + chars(entry.getValue());
        }
        return size;
    }

    /** A mask event's bytes: its class map, its fractions and names, its strings, its objects. */
    static long of(MaskEvent mask) {
        long size = RECORD_OVERHEAD + array(mask.getClassMap());
        // a boxed Float and its reference in the list
        size += 24L * mask.getClassFractions().size();
        size += chars(mask.getCameraId()) + chars(mask.getModelId());
        size += chars(mask.getModelVersion());
        for (String name : mask.getClassNames()) {
            size += chars(name);
        }
        return size;
    }

    /** A camera's own join state's bytes, without its frames and masks. */
    static long ofCamera(String cameraId) {
        return CAMERA_OVERHEAD + chars(cameraId);
    }

    private static long array(ByteBuffer buffer) {
        if (buffer == null) {
            return 0;
        }
        // a slice or a wrap keeps the whole array behind it
        return buffer.hasArray() ? buffer.array().length : buffer.capacity();
    }

    /** A string: two bytes a character at most, and its object and array headers. */
    private static long chars(CharSequence text) {
        return text == null ? 0 : 40L + 2L * text.length();
    }
}
