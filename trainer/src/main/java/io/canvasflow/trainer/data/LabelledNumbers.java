package io.canvasflow.trainer.data;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The frame numbers a topic read met with labels, per camera, whether the range asked for selected
 * them or not: so that a range that holds none of a camera's frames is refused with the numbers it
 * does hold, and a held-out range that holds none is found before it is recorded.
 */
final class LabelledNumbers {

    /** Camera to its lowest and highest labelled frame number. */
    private final Map<String, SequenceRange> byCamera = new TreeMap<>();

    /** Labelled frames of the cameras read that fall in the held-out range. */
    private long heldOut;

    /** Adds a labelled frame of a camera read. */
    void add(String camera, long number, boolean inHeldOutRange) {
        byCamera.merge(
                camera,
                new SequenceRange(number, number),
                (a, b) ->
                        new SequenceRange(Math.min(a.from(), b.from()), Math.max(a.to(), b.to())));
        if (inHeldOutRange) {
            heldOut++;
        }
    }

    /** How many labelled frames fall in the held-out range. */
    long heldOut() {
        return heldOut;
    }

    /**
     * "its labelled frames are numbered 30-794" (one camera) or "its labelled frames are numbered
     * 0-9 of camera a, 20-29 of camera b", or null when it met no labelled frame.
     */
    String described() {
        if (byCamera.isEmpty()) {
            return null;
        }
        if (byCamera.size() == 1) {
            return "its labelled frames are numbered " + byCamera.values().iterator().next();
        }
        StringJoiner out = new StringJoiner(", ", "its labelled frames are numbered ", "");
        byCamera.forEach((camera, r) -> out.add(r + " of camera " + camera));
        return out.toString();
    }
}
