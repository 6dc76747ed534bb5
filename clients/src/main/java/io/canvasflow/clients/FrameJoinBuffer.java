package io.canvasflow.clients;

import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

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
 * frames came before it, or never will.
 *
 * <p>The number of cameras is bounded too, since any writer of the frames topic names them: a
 * camera with no frame and no mask for the idle time is forgotten (its waiting masks released
 * without a frame), and everything held, over all cameras, stays within a byte budget by the join's
 * own estimate ({@link HeldBytes}): past it the oldest frame or waiting mask goes first, as when a
 * camera's own bound is reached, and a camera that has held nothing since everything now held came
 * is forgotten. Not thread-safe.
 */
final class FrameJoinBuffer {

    /**
     * How long a camera is kept with no frame and no mask: five minutes, the time after which
     * {@code masks --out} finishes a camera's video ({@link OverlayWriter#FINISH_IDLE_AFTER}) and
     * {@code view} forgets its tile and figures, so a stopped camera leaves them all alike.
     */
    static final Duration FORGET_AFTER = OverlayWriter.FINISH_IDLE_AFTER;

    /**
     * The most bytes held over all cameras by default: a quarter of the heap, as much as serve's
     * model follower holds for versions it cannot write yet. The rest is for the consumer's fetches
     * (up to 50 MiB at once by Kafka's default), the viewer's tiles (a frame per camera for five
     * minutes) and {@code masks --out}'s images and encoders; 64 MiB in a 256 MiB heap, 1.5 GiB in
     * the launcher's default 6 GiB.
     */
    static long defaultMaxBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** How often at most the cameras are walked for idle ones, as {@link FollowedCameras}'. */
    private static final long SWEEP_NANOS = 1_000_000_000L;

    private final int capacityPerCamera;
    private final long maxBytes;
    private final long forgetAfterNanos;
    private final LongSupplier nanoClock;

    /** Least recently active first (access order), so that idle cameras are at the head. */
    private final Map<String, Side> cameras = new LinkedHashMap<>(16, 0.75f, true);

    /** Every camera's frames and masks, and each camera itself, in the order they came. */
    private final HeldBytes<Held> held = new HeldBytes<>();

    private long lastSweepNanos;
    private boolean sweptOnce;

    /**
     * A buffer that forgets a camera after {@link #FORGET_AFTER}.
     *
     * @param capacityPerCamera frames, and masks waiting for their frame, kept per camera
     * @param maxBytes the most bytes held over all cameras, by {@link HeldBytes}' estimate
     * @throws IllegalArgumentException when a bound is not positive
     */
    FrameJoinBuffer(int capacityPerCamera, long maxBytes) {
        this(capacityPerCamera, maxBytes, FORGET_AFTER, System::nanoTime);
    }

    /**
     * With the idle time and a nanosecond clock: a test's seam.
     *
     * @param capacityPerCamera frames, and masks waiting for their frame, kept per camera
     * @param maxBytes the most bytes held over all cameras, by {@link HeldBytes}' estimate
     * @param forgetAfter how long a camera with no frame and no mask is kept
     * @param nanoClock a monotonic clock in nanoseconds
     * @throws IllegalArgumentException when a bound is not positive
     */
    FrameJoinBuffer(
            int capacityPerCamera, long maxBytes, Duration forgetAfter, LongSupplier nanoClock) {
        if (capacityPerCamera < 1) {
            throw new IllegalArgumentException(
                    "expected a join buffer of at least one frame per camera but found "
                            + capacityPerCamera);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException(
                    "expected a join buffer of at least one byte but found " + maxBytes);
        }
        if (forgetAfter.isNegative() || forgetAfter.isZero()) {
            throw new IllegalArgumentException(
                    "expected a positive time to forget an idle camera's frames but found "
                            + forgetAfter);
        }
        this.capacityPerCamera = capacityPerCamera;
        this.maxBytes = maxBytes;
        this.forgetAfterNanos = forgetAfter.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Adds a frame; returns the masks it completes or gives up on, in arrival order. */
    List<JoinedMask> onFrame(Frame frame) {
        long now = nanoClock.getAsLong();
        List<JoinedMask> out = forgetIdle(now);
        Side side = side(frame.getCameraId(), now);
        Key key = Key.of(frame.getSequence(), frame.getCaptureTimestamp());
        if (side.lastFrame != null && key.restarts(side.lastFrame)) {
            // A new run: the earlier run's frames all came before this one.
            for (Iterator<Map.Entry<Key, MaskEvent>> it = side.masks.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Key, MaskEvent> mask = it.next();
                if (mask.getKey().compareTo(key) < 0) {
                    out.add(new JoinedMask(mask.getValue(), null));
                    it.remove();
                    held.remove(new Held(side, mask.getKey(), true));
                }
            }
        }
        side.lastFrame = key;
        MaskEvent waiting = side.masks.get(key);
        if (waiting == null) {
            side.frames.put(key, frame);
            held.add(new Held(side, key, false), HeldBytes.of(frame));
            if (side.frames.size() > capacityPerCamera) {
                dropFrame(side, side.frames.keySet().iterator().next());
            }
            touch(side);
            evictOverBudget(out);
            return out;
        }
        for (Iterator<Map.Entry<Key, MaskEvent>> it = side.masks.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Key, MaskEvent> mask = it.next();
            int order = mask.getKey().compareTo(key);
            if (order <= 0) {
                out.add(new JoinedMask(mask.getValue(), order == 0 ? frame : null));
                it.remove();
                held.remove(new Held(side, mask.getKey(), true));
            }
            if (order == 0) {
                break;
            }
        }
        touch(side);
        return out;
    }

    /** Adds a mask; returns it with its frame when the frame is here, plus masks given up on. */
    List<JoinedMask> onMask(MaskEvent mask) {
        long now = nanoClock.getAsLong();
        List<JoinedMask> out = forgetIdle(now);
        Side side = side(mask.getCameraId(), now);
        Key key = Key.of(mask.getSequence(), mask.getCaptureTimestamp());
        touch(side);
        if (side.frames.containsKey(key)) {
            // Its frame, and the frames that came before it: their masks came before this one.
            Iterator<Map.Entry<Key, Frame>> older = side.frames.entrySet().iterator();
            Map.Entry<Key, Frame> frame;
            do {
                frame = older.next();
                older.remove();
                held.remove(new Held(side, frame.getKey(), false));
            } while (!frame.getKey().equals(key));
            out.add(new JoinedMask(mask, frame.getValue()));
            return out;
        }
        if (side.droppedUpTo != null && key.compareTo(side.droppedUpTo) <= 0) {
            out.add(JoinedMask.outgrewBuffer(mask));
            return out;
        }
        MaskEvent twin = side.masks.put(key, mask);
        held.add(new Held(side, key, true), HeldBytes.of(mask));
        if (twin != null) {
            // The same frame's mask twice: the one waiting is not silently replaced.
            out.add(new JoinedMask(twin, null));
        }
        if (side.masks.size() > capacityPerCamera) {
            Key eldest = side.masks.keySet().iterator().next();
            out.add(JoinedMask.outgrewBuffer(side.masks.remove(eldest)));
            held.remove(new Held(side, eldest, true));
        }
        touch(side);
        evictOverBudget(out);
        return out;
    }

    /**
     * Forgets the cameras with no frame and no mask for the idle time, walking them at most once a
     * second; the follower calls it after each poll too, as nothing else comes when every camera is
     * quiet.
     *
     * @return their waiting masks, released without a frame (it will not come)
     */
    List<JoinedMask> forgetIdle() {
        return forgetIdle(nanoClock.getAsLong());
    }

    /** Releases every waiting mask without its frame and forgets every frame and camera. */
    List<JoinedMask> drain() {
        List<JoinedMask> out = new ArrayList<>();
        for (Side side : cameras.values()) {
            side.masks.values().forEach(mask -> out.add(new JoinedMask(mask, null)));
        }
        cameras.clear();
        held.clear();
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

    /** The bytes held now, frames, masks and cameras, by {@link HeldBytes}' estimate. */
    long heldBytes() {
        return held.bytes();
    }

    /** Frames per camera the buffer keeps. */
    int capacityPerCamera() {
        return capacityPerCamera;
    }

    /** The most bytes the buffer holds over all cameras. */
    long maxBytes() {
        return maxBytes;
    }

    private Side side(String cameraId, long now) {
        Side side = cameras.get(cameraId); // now the most recently active
        if (side == null) {
            side = new Side(cameraId);
            cameras.put(cameraId, side);
        }
        side.lastActiveNanos = now;
        return side;
    }

    /**
     * Counts the camera itself as held since now, after what it just added: so when it is the
     * oldest thing held, it has nothing left and it alone can go.
     */
    private void touch(Side side) {
        held.add(side.self, side.ownBytes);
    }

    /** Drops a frame for room; a mask of it, or of an earlier frame, is then released at once. */
    private void dropFrame(Side side, Key dropped) {
        side.frames.remove(dropped);
        held.remove(new Held(side, dropped, false));
        // Not past the camera's newest frame: one captured later that came earlier (the camera's
        // clock went back) does not make the new frames' masks count as dropped.
        if (dropped.compareTo(side.lastFrame) <= 0
                && (side.droppedUpTo == null || dropped.compareTo(side.droppedUpTo) > 0)) {
            side.droppedUpTo = dropped;
        }
    }

    /** Gives up the oldest frames and masks, and then cameras, until the budget holds them. */
    private void evictOverBudget(List<JoinedMask> out) {
        while (held.bytes() > maxBytes) {
            Held oldest = held.oldest();
            Side side = oldest.side();
            if (oldest.key() == null) {
                // Nothing of it is left, and nothing came from it since all that is held now.
                forget(side, out);
                cameras.remove(side.cameraId, side);
            } else if (oldest.mask()) {
                out.add(JoinedMask.outgrewBuffer(side.masks.remove(oldest.key())));
                held.remove(oldest);
            } else {
                dropFrame(side, oldest.key());
            }
        }
    }

    private List<JoinedMask> forgetIdle(long now) {
        List<JoinedMask> out = new ArrayList<>();
        // walked at most once a second: a walk per record would cost O(cameras) per record
        if (sweptOnce && now - lastSweepNanos < SWEEP_NANOS) {
            return out;
        }
        sweptOnce = true;
        lastSweepNanos = now;
        for (Iterator<Side> it = cameras.values().iterator(); it.hasNext(); ) {
            Side side = it.next();
            if (now - side.lastActiveNanos <= forgetAfterNanos) {
                break; // the rest were active later
            }
            forget(side, out);
            it.remove();
        }
        return out;
    }

    /** Releases a camera's waiting masks without a frame and stops counting all it held. */
    private void forget(Side side, List<JoinedMask> out) {
        side.masks.forEach(
                (key, mask) -> {
                    out.add(new JoinedMask(mask, null));
                    held.remove(new Held(side, key, true));
                });
        side.frames.keySet().forEach(key -> held.remove(new Held(side, key, false)));
        side.masks.clear();
        side.frames.clear();
        held.remove(side.self);
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

    /**
     * Something a camera holds: a frame, a waiting mask, or (no key) the camera's own state.
     *
     * @param side the camera, by identity
     * @param key the frame's or mask's key, or null for the camera itself
     * @param mask whether it is a waiting mask
     */
    private record Held(Side side, Key key, boolean mask) {}

    private static final class Side {
        private final String cameraId;
        private final LinkedHashMap<Key, Frame> frames = new LinkedHashMap<>();
        private final LinkedHashMap<Key, MaskEvent> masks = new LinkedHashMap<>();
        private final Held self = new Held(this, null, false);
        private final long ownBytes;

        /** The newest frame dropped for room, null when none. */
        private Key droppedUpTo;

        private Key lastFrame;

        /** When its newest frame or mask came, on the buffer's clock. */
        private long lastActiveNanos;

        private Side(String cameraId) {
            this.cameraId = cameraId;
            this.ownBytes = HeldBytes.ofCamera(cameraId);
        }
    }
}
