package io.canvasflow.topology;

import java.util.Locale;
import java.util.Map;

/**
 * Reads one typed value of {@link CanvasFlowConfig} from its string, or throws one sentence that
 * names the setting, what it must be and what it got.
 */
final class SettingParser {

    private final Map<String, String> settings;

    SettingParser(Map<String, String> settings) {
        this.settings = settings;
    }

    String nonBlank(String key) {
        String v = settings.get(key);
        if (v.isBlank()) {
            throw invalid(key, "a non-empty value");
        }
        return v;
    }

    int intAtLeast(String key, int min) {
        long v = longAtLeast(key, min);
        if (v > Integer.MAX_VALUE) {
            throw invalid(key, "an integer of at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    long longAtLeast(String key, long min) {
        try {
            long v = Long.parseLong(settings.get(key));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "an integer of at least " + min);
    }

    double fraction(String key) {
        try {
            double v = Double.parseDouble(settings.get(key));
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a number between 0 and 1");
    }

    boolean bool(String key) {
        String v = settings.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    CanvasFlowConfig.ProcessingMode mode(String key) {
        for (CanvasFlowConfig.ProcessingMode m : CanvasFlowConfig.ProcessingMode.values()) {
            if (m.value().equalsIgnoreCase(settings.get(key))) {
                return m;
            }
        }
        throw invalid(key, "every-frame or latest-only");
    }

    String oneOf(String key, String... allowed) {
        for (String a : allowed) {
            if (a.equals(settings.get(key))) {
                return a;
            }
        }
        throw invalid(key, String.join(" or ", allowed));
    }

    IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(
                "setting " + key + " must be " + expected + ", got '" + settings.get(key) + "'");
    }
}
