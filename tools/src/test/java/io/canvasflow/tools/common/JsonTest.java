package io.canvasflow.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldWriteAFigureThatIsNotANumberAsNullSoThatStrictParsersReadTheFile() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("fps", 12.5);
        figures.put("latencyP99", Double.NaN);
        figures.put("ratios", List.of(1.0, Double.POSITIVE_INFINITY));

        String json = Json.pretty(figures);

        assertTrue(json.contains("\"fps\": 12.5"), json);
        assertTrue(json.contains("\"latencyP99\": null"), json);
        assertTrue(json.replaceAll("\\s", "").contains("\"ratios\":[1.0,null]"), json);
        assertEquals(12.5, Json.parseObject(json).get("fps"));
    }

    @Test
    void shouldSayInOneLineWhatIsNotJson() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{ nope"));

        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("not JSON ("), e.getMessage());
    }
}
