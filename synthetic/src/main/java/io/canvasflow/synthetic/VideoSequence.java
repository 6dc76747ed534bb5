package io.canvasflow.synthetic;

import java.util.List;

/**
 * An ordered clip of labelled frames of one size.
 *
 * @param id where the clip came from, for logs and file names
 * @param frames the frames in time order
 */
public record VideoSequence(String id, List<LabeledFrame> frames) {

    /** Copies the frame list. */
    public VideoSequence {
        frames = List.copyOf(frames);
    }

    /** The number of frames. */
    public int size() {
        return frames.size();
    }

    /** Frame {@code index}. */
    public LabeledFrame frame(int index) {
        return frames.get(index);
    }
}
