package io.canvasflow.cli.options;

/**
 * What a camera id given on a command line may be: one that serve takes with its default settings,
 * and that prints on one line. Serve dead-letters every frame of a camera whose id is longer than
 * its {@code camera.id.max.length}; a line break in an id would split a summary's row and every log
 * line that names it. {@code publish --camera} and {@code models assign --camera} take the same
 * ids.
 */
public final class CameraIds {

    /** Serve's default {@code camera.id.max.length}, in characters (UTF-16 units). */
    public static final int MAX_LENGTH = 256;

    private static final int SHOWN = 40;

    private CameraIds() {}

    /**
     * Checks an id.
     *
     * @param id the camera id
     * @return null when it will do, else why not, in a phrase that follows the id
     */
    public static String problem(String id) {
        if (id.isBlank()) {
            return "is blank; give the id the camera's frames are published under";
        }
        if (id.length() > MAX_LENGTH) {
            return "is "
                    + id.length()
                    + " characters, more than the "
                    + MAX_LENGTH
                    + " serve takes (camera.id.max.length); give a shorter one";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (unprintable(c)) {
                return String.format(
                        "holds the control character U+%04X; give one without", (int) c);
            }
        }
        return null;
    }

    /**
     * The id as a message may show it: on one line, and cut short when long.
     *
     * @param id the camera id
     * @return at most 40 characters of it, control characters written as {@code \}{@code uXXXX}
     */
    public static String shown(String id) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < id.length() && out.length() < SHOWN; i++) {
            char c = id.charAt(i);
            out.append(unprintable(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.length() < SHOWN || id.length() <= SHOWN ? out.toString() : out + "...";
    }

    private static boolean unprintable(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
