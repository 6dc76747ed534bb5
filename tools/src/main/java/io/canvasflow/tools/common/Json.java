package io.canvasflow.tools.common;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one JSON writer of the demo, replay and the benchmarks: Gson (the JSON library DJL and the
 * trainer already use), pretty-printed, nulls written out (a figure that could not be measured is
 * {@code null}, not missing, and a NaN is one too), no HTML escaping ({@code <=} stays readable).
 */
public final class Json {

    private static final TypeAdapter<Double> FINITE_OR_NULL =
            new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, Double value) throws IOException {
                    if (value == null || !Double.isFinite(value)) {
                        out.nullValue();
                    } else {
                        out.value(value);
                    }
                }

                @Override
                public Double read(JsonReader in) throws IOException {
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return in.nextDouble();
                }
            };

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .disableHtmlEscaping()
                    // a figure that is not a number (no frames measured) is null, as in the
                    // trainer's reports, so that every file is JSON a strict parser reads; not an
                    // exception at the end of a long run, as Gson's default would be
                    .registerTypeAdapter(Double.class, FINITE_OR_NULL)
                    .registerTypeAdapter(double.class, FINITE_OR_NULL)
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
