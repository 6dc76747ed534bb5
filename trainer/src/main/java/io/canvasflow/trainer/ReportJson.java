package io.canvasflow.trainer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The JSON of the evaluation reports: Gson (the JSON library DJL and the rest of CanvasFlow use),
 * pretty-printed, nulls written out, no HTML escaping, and a figure that is not a number (the IoU
 * of a class the frames never show) written as {@code null}, as the reports' other missing figures
 * are.
 */
final class ReportJson {

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
                public Double read(JsonReader in) {
                    throw new UnsupportedOperationException("the reports are written, not read");
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

    /** The value (maps, lists, records, numbers, strings) as JSON text ending with a line break. */
    static String pretty(Object value) {
        return GSON.toJson(value) + "\n";
    }
}
