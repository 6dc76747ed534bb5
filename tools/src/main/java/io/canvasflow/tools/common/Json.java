package io.canvasflow.tools.common;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one JSON writer of the demo, replay and the benchmarks: Gson (the JSON library DJL and the
 * trainer already use), pretty-printed, nulls written out (a figure that could not be measured is
 * {@code null}, not missing), no HTML escaping ({@code <=} stays readable).
 */
public final class Json {

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .disableHtmlEscaping()
                    // a stray NaN is written as NaN (as Jackson did for the demo), not an exception
                    // at the end of a long run; the reports turn the ones they expect into null
                    .serializeSpecialFloatingPointValues()
                    .create();

    private Json() {}

    /**
     * Writes a value as JSON text.
     *
     * @param value maps, lists, strings, numbers, booleans and nulls
     * @return the JSON, ending with a line break
     */
    public static String pretty(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /**
     * Writes a value as a JSON file, creating its folder.
     *
     * @param file where to write
     * @param value what to write, as for {@link #pretty}
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, pretty(value));
    }
}
