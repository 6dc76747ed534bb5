package io.canvasflow.cli.options;

/**
 * A topic a command reads or writes and where its name came from, so that a name taken from serve's
 * settings is said: the command line's flag, the environment, the {@code --command-config} file, or
 * the built-in default.
 *
 * @param name the topic's name
 * @param origin where it came from, for a sentence: {@code --topic}, {@code
 *     CANVASFLOW_TOPIC_FRAMES}, {@code topic.frames in serve.properties}, or {@code the default}
 * @param fromSettings whether it came from serve's settings (the environment or the file) rather
 *     than this command's own line or default, so that the user should be told
 */
public record TopicChoice(String name, String origin, boolean fromSettings) {

    /** What a built-in default's origin reads. */
    public static final String DEFAULT = "the default";

    /**
     * The name, and where it came from when that was serve's settings: {@code cams (topic.frames in
     * serve.properties)}, else {@code frames}.
     */
    @Override
    public String toString() {
        return fromSettings ? name + " (" + origin + ")" : name;
    }
}
