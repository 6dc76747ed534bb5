package io.canvasflow.trainer.label;

import io.canvasflow.synthetic.ClassTable;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * A source of per-pixel labels for unlabelled footage: a classical algorithm, a heavier model, or a
 * person. A teacher labels one camera's frames in time order; it may keep state between frames (a
 * background model) and may decline to label a frame it is not ready for.
 */
public interface Teacher extends AutoCloseable {

    /** The classes its labels index, in label order; pixels it is unsure of get 255. */
    ClassTable classes();

    /** How it labels, for the labels' metadata and a model's lineage, e.g. {@code motion:mog2}. */
    String description();

    /**
     * Labels the next frame of the camera.
     *
     * @param frame the frame, {@code TYPE_3BYTE_BGR}
     * @return row-major labels of the frame's size, or empty while the teacher is warming up
     */
    Optional<byte[]> label(BufferedImage frame);

    /** The camera's first frames it takes before it labels one ({@link #label} empty); 0: none. */
    default int warmUp() {
        return 0;
    }

    /**
     * What to do when it was unsure of every pixel it labelled (each got 255), for the sentence
     * that refuses the run.
     */
    default String whenUnsure() {
        return "label footage it can tell apart";
    }

    @Override
    void close();
}
