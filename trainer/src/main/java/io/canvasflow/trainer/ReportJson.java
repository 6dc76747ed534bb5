package io.canvasflow.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The JSON of every report CanvasFlow writes: the evaluation reports here, and through the tools'
 * {@code Json} the demo's, replay's and the benchmarks'. Gson (the JSON library DJL and the rest of
 * CanvasFlow use), pretty-printed, nulls written out (a figure that could not be measured is {@code
 * null}, not missing), no HTML escaping ({@code <=} stays readable), and a figure that is not a
 * number (the IoU of a class the frames never show, a rate of no frames) written as {@code null}
 * too, so that a strict parser reads every file.
 */
public final class ReportJson {

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
                    .registerTypeAdapter(Double.class, FINITE_OR_NULL)
                    .registerTypeAdapter(double.class, FINITE_OR_NULL)
                    .create();

    private ReportJson() {}

    /**
     * The configured Gson, for a writer that adds its own file handling.
     *
     * @return the instance every report is written with
     */
    public static Gson gson() {
        return GSON;
    }

    /**
     * The value as JSON text.
     *
     * @param value maps, lists, records, numbers, strings, booleans and nulls
     * @return the JSON, ending with a line break
     */
    public static String pretty(Object value) {
        return GSON.toJson(value) + "\n";
    }
}
