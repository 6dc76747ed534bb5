package io.canvasflow.trainer;

import io.canvasflow.trainer.data.LabelledSources;
import java.util.ArrayList;
import java.util.List;

/**
 * Options given on a command line that the chosen {@code --data} (or {@code --type}, {@code
 * --teacher}) would leave unused: refused in one sentence naming them, rather than ignored without
 * a word.
 */
public final class UnusedOptions {

    /** The only data with cameras and frame numbers, for the options that select them. */
    private static final String TOPIC_DATA = "--data topic:NAME (a camera's numbered frames)";

    /** The data with classes of its own, for the options that map them. */
    private static final String LABELLED_DATA =
            "labelled data (voc:, cityscapes:, labelme: or topic:)";

    private final List<String> given = new ArrayList<>();

    /** Notes {@code name} when {@code set}. */
    public UnusedOptions add(boolean set, String name) {
        if (set) {
            given.add(name);
        }
        return this;
    }

    /**
     * Refuses the options noted, if any.
     *
     * @param onlyFor the data they are for, e.g. {@code "--data topic:NAME (a camera's numbered
     *     frames)"}
     * @param data the {@code --data} given
     * @throws IllegalArgumentException "--a, --b are only for ONLY_FOR; leave them out with --data
     *     DATA"
     */
    public void refuse(String onlyFor, String data) {
        refuseWith(onlyFor, "--data " + data);
    }

    /**
     * Refuses the options noted, if any, unless {@code --data} names a topic: only a topic's frames
     * have cameras, frame numbers and capture times.
     *
     * @param data the {@code --data} given
     * @throws IllegalArgumentException as {@link #refuse} does, or when {@code data} names no kind
     *     of data
     */
    void refuseUnlessTopic(String data) {
        if (!LabelledSources.TOPIC.equals(LabelledSources.kind(data))) {
            refuse(TOPIC_DATA, data);
        }
    }

    /**
     * Refuses the options noted, if any, when {@code --data} is the synthetic generator: its
     * classes are the shipped models' own, and there is nothing to map.
     *
     * @param data the {@code --data} given
     * @throws IllegalArgumentException as {@link #refuse} does, or when {@code data} names no kind
     *     of data
     */
    void refuseUnlessLabelled(String data) {
        if (LabelledSources.SYNTHETIC.equals(LabelledSources.kind(data))) {
            refuse(LABELLED_DATA, data);
        }
    }

    /**
     * Refuses the options noted, if any, naming the setting that leaves them unused.
     *
     * @param onlyFor what they are for, e.g. {@code "a recurrent model (--type rnn)"}
     * @param setting the setting given, e.g. {@code "--type ff"}
     * @throws IllegalArgumentException "--a, --b are only for ONLY_FOR; leave them out with
     *     SETTING"
     */
    public void refuseWith(String onlyFor, String setting) {
        if (given.isEmpty()) {
            return;
        }
        boolean one = given.size() == 1;
        throw new IllegalArgumentException(
                String.join(", ", given)
                        + (one ? " is" : " are")
                        + " only for "
                        + onlyFor
                        + "; leave "
                        + (one ? "it" : "them")
                        + " out with "
                        + setting);
    }
}
