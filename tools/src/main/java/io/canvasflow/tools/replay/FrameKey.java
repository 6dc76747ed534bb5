package io.canvasflow.tools.replay;

/**
 * A frame's identity: its camera and sequence number.
 *
 * @param camera the camera id
 * @param sequence the camera's frame counter
 */
public record FrameKey(String camera, long sequence) implements Comparable<FrameKey> {

    @Override
    public int compareTo(FrameKey o) {
        int c = camera.compareTo(o.camera);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
