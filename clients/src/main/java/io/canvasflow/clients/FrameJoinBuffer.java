package io.canvasflow.clients;

import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins mask events with their frames by (camera, sequence, capture time) in memory, whichever
 * arrives first. The capture time tells runs apart: a restarted publisher numbers a camera's frames
 * from 0 again, so a sequence alone names a frame of each run. Both sides are bounded per camera:
 * the oldest unmatched frame is dropped, and the oldest mask still waiting for its frame is
 * released without one. Because the topology sends a camera's masks in the order its frames came, a
 * match also releases the camera's older waiting masks (their frames will not come; older means
 * captured earlier, or at the same time with a lower sequence) and drops the frames that came
 * before the matched one (their masks will not come). A mask whose frame was already dropped for
 * room is released at once without it: that frame will not come again. A frame that starts a new
 * run (its sequence the same as or lower than the camera's last, its capture time later, as the
 * topology reads a SEQUENCE_RESTART) releases the masks of the earlier run still waiting: their
 * frames came before it, or never will. Not thread-safe.
 */
final class FrameJoinBuffer {

    private final int capacityPerCamera;
    private final Map<String, Side> cameras = new HashMap<>();

    FrameJoinBuffer(int capacityPerCamera) {
        if (capacityPerCamera < 1) {
            throw new IllegalArgumentException(
                    "expected a join buffer of at least one frame per camera but found "
                            + capacityPerCamera);
        }
        this.capacityPerCamera = capacityPerCamera;
    }

    /** Adds a frame; returns the masks it completes or gives up on, in arrival order. */
    List<JoinedMask> onFrame(Frame frame) {
        Side side = side(frame.getCameraId());
        Key key = Key.of(frame.getSequence(), frame.getCaptureTimestamp());
        List<JoinedMask> out = new ArrayList<>();
        if (side.lastFrame != null && key.restarts(side.lastFrame)) {
            // A new run: the earlier run's frames all came before this one.
            for (Iterator<Map.Entry<Key, MaskEvent>> it = side.masks.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Key, MaskEvent> mask = it.next();
                if (mask.getKey().compareTo(key) < 0) {
                    out.add(new JoinedMask(mask.getValue(), null));
                    it.remove();
                }
            }
        }
        side.lastFrame = key;
        MaskEvent waiting = side.masks.get(key);
        if (waiting == null) {
            side.frames.put(key, frame);
            if (side.frames.size() > capacityPerCamera) {
                Iterator<Key> eldest = side.frames.keySet().iterator();
                Key dropped = eldest.next();
                eldest.remove();
                if (dropped.compareTo(key) < 0
                        && (side.droppedUpTo == null || dropped.compareTo(side.droppedUpTo) > 0)) {
                    side.droppedUpTo = dropped;
                }
            }
            return out;
        }
        for (Iterator<Map.Entry<Key, MaskEvent>> it = side.masks.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Key, MaskEvent> mask = it.next();
            int order = mask.getKey().compareTo(key);
            if (order == 0) {
                out.add(new JoinedMask(mask.getValue(), frame));
                it.remove();
                break;
            }
            if (order < 0) {
                out.add(new JoinedMask(mask.getValue(), null));
                it.remove();
            }
        }
        return out;
    }

    /** Adds a mask; returns it with its frame when the frame is here, plus masks given up on. */
    List<JoinedMask> onMask(MaskEvent mask) {
        Side side = side(mask.getCameraId());
        Key key = Key.of(mask.getSequence(), mask.getCaptureTimestamp());
        List<JoinedMask> out = new ArrayList<>();
        if (side.frames.containsKey(key)) {
            // Its frame, and the frames that came before it: their masks came before this one.
            Iterator<Map.Entry<Key, Frame>> older = side.frames.entrySet().iterator();
            Map.Entry<Key, Frame> frame;
            do {
                frame = older.next();
                older.remove();
            } while (!frame.getKey().equals(key));
            out.add(new JoinedMask(mask, frame.getValue()));
            return out;
        }
        if (side.droppedUpTo != null && key.compareTo(side.droppedUpTo) <= 0) {
            out.add(JoinedMask.outgrewBuffer(mask));
            return out;
        }
        MaskEvent twin = side.masks.put(key, mask);
        if (twin != null) {
            // The same frame's mask twice: the one waiting is not silently replaced.
            out.add(new JoinedMask(twin, null));
        }
        if (side.masks.size() > capacityPerCamera) {
            Iterator<MaskEvent> eldest = side.masks.values().iterator();
            out.add(JoinedMask.outgrewBuffer(eldest.next()));
            eldest.remove();
        }
        return out;
    }

    /** Releases every waiting mask without its frame and forgets every frame. */
    List<JoinedMask> drain() {
        List<JoinedMask> out = new ArrayList<>();
        for (Side side : cameras.values()) {
            side.masks.values().forEach(mask -> out.add(new JoinedMask(mask, null)));
            side.masks.clear();
            side.frames.clear();
        }
        return out;
    }

    /** The masks waiting for their frame, over all cameras. */
    int waitingMasks() {
        return cameras.values().stream().mapToInt(side -> side.masks.size()).sum();
    }

    /** The frames waiting for their mask, over all cameras. */
    int waitingFrames() {
        return cameras.values().stream().mapToInt(side -> side.frames.size()).sum();
    }

    private Side side(String cameraId) {
        return cameras.computeIfAbsent(cameraId, c -> new Side());
    }

    /** Frames per camera the buffer keeps. */
    int capacityPerCamera() {
        return capacityPerCamera;
    }

    /**
     * One frame of a camera: its capture time and sequence, ordered by capture time, then sequence.
     */
    private record Key(long captureMillis, long sequence) implements Comparable<Key> {

        static Key of(long sequence, Instant capture) {
            return new Key(capture.toEpochMilli(), sequence);
        }

        /**
         * Whether this frame starts a new run after {@code last}: back in number, later in time.
         */
        boolean restarts(Key last) {
            return FrameOrder.restarted(sequence, captureMillis, last.sequence, last.captureMillis);
        }

        @Override
        public int compareTo(Key other) {
            int byTime = Long.compare(captureMillis, other.captureMillis);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private static final class Side {
        private final LinkedHashMap<Key, Frame> frames = new LinkedHashMap<>();
        private final LinkedHashMap<Key, MaskEvent> masks = new LinkedHashMap<>();

        /** The newest frame dropped for room, null when none. */
        private Key droppedUpTo;

        private Key lastFrame;
    }
}
