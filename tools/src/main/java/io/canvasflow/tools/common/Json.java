package io.canvasflow.tools.common;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.canvasflow.trainer.ReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON files of the demo, replay and the benchmarks: written as the trainer's reports are
 * ({@link ReportJson}: pretty, nulls written, a NaN as null), plus reading a file back and writing
 * one with its folder.
 */
public final class Json {

    /** The reports' one Gson configuration, shared with the trainer's evaluation reports. */
    private static final Gson GSON = ReportJson.gson();

    private Json() {}

    /**
     * Writes a value as JSON text.
     *
     * @param value maps, lists, strings, numbers, booleans and nulls
     * @return the JSON, ending with a line break
     */
    public static String pretty(Object value) {
        return ReportJson.pretty(value);
    }

    /**
     * Reads a JSON object (numbers as doubles).
     *
     * @param text the JSON
     * @return its fields
     * @throws IllegalArgumentException when it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        try {
            Object value = GSON.fromJson(text, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (JsonParseException e) {
            // Gson's message runs on with a troubleshooting URL: its first line says what is wrong
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalArgumentException("not JSON (" + first + ")", e);
        }
        throw new IllegalArgumentException("not a JSON object");
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
