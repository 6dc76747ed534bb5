package io.canvasflow.clients;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins mask events with their frames by (camera, sequence) in memory, whichever arrives first.
 * Both sides are bounded per camera: the oldest unmatched frame is dropped, and the oldest mask
 * still waiting for its frame is released without one. Because a camera's frames and masks each
 * arrive in sequence order, a match also releases the camera's older waiting masks (their frames
 * will not come) and drops its older frames (their masks will not come). A mask whose frame was
 * already dropped for room is released at once without it: that frame will not come again. Not
 * thread-safe.
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

    /** Adds a frame; returns the masks it completes, in arrival order. */
    List<JoinedMask> onFrame(Frame frame) {
        Side side = side(frame.getCameraId());
        long sequence = frame.getSequence();
        MaskEvent waiting = side.masks.get(sequence);
        List<JoinedMask> out = new ArrayList<>();
        if (sequence < side.lastFrame) {
            // The camera restarted its sequence: what was dropped before says nothing now.
            side.droppedUpTo = -1;
        }
        side.lastFrame = sequence;
        if (waiting == null) {
            side.frames.put(sequence, frame);
            if (side.frames.size() > capacityPerCamera) {
                Iterator<Long> eldest = side.frames.keySet().iterator();
                long dropped = eldest.next();
                eldest.remove();
                if (dropped < sequence) {
                    // (a frame of before a restart says nothing about this run's masks)
                    side.droppedUpTo = Math.max(side.droppedUpTo, dropped);
                }
            }
            return out;
        }
        for (Iterator<Map.Entry<Long, MaskEvent>> it = side.masks.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, MaskEvent> mask = it.next();
            if (mask.getKey() == sequence) {
                out.add(new JoinedMask(mask.getValue(), frame));
                it.remove();
                break;
            }
            if (mask.getKey() < sequence) {
                out.add(new JoinedMask(mask.getValue(), null));
                it.remove();
            }
        }
        return out;
    }

    /** Adds a mask; returns it with its frame when the frame is here, plus masks given up on. */
    List<JoinedMask> onMask(MaskEvent mask) {
        Side side = side(mask.getCameraId());
        long sequence = mask.getSequence();
        List<JoinedMask> out = new ArrayList<>();
        Frame frame = side.frames.remove(sequence);
        if (frame != null) {
            side.frames.keySet().removeIf(s -> s < sequence);
            out.add(new JoinedMask(mask, frame));
            return out;
        }
        if (sequence <= side.droppedUpTo) {
            out.add(new JoinedMask(mask, null));
            return out;
        }
        side.masks.put(sequence, mask);
        if (side.masks.size() > capacityPerCamera) {
            Iterator<MaskEvent> eldest = side.masks.values().iterator();
            out.add(new JoinedMask(eldest.next(), null));
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

    private static final class Side {
        private final LinkedHashMap<Long, Frame> frames = new LinkedHashMap<>();
        private final LinkedHashMap<Long, MaskEvent> masks = new LinkedHashMap<>();

        /** The newest sequence dropped for room, -1 when none. */
        private long droppedUpTo = -1;

        private long lastFrame = -1;
    }
}
