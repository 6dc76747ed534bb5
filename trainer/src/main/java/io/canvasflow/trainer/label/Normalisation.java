package io.canvasflow.trainer.label;

import java.util.regex.Pattern;

/**
 * How an ONNX teacher's input pixels are normalised ({@code --teacher-normalise}): each 0..1 RGB
 * value {@code x} is fed as {@code (x - mean) / std}, per channel. A model is fed what it was
 * trained on: torchvision's ImageNet statistics, plain 0..1, or the mean and std its exporter used
 * (0.5 and 0.5 for -1..1 input, 0 and 1/255 for raw 0..255).
 *
 * @param name as the teacher's lineage says it: {@code imagenet}, {@code unit}, or a custom value
 *     as given with its commas as semicolons ({@code 0.5;0.5;0.5/0.5;0.5;0.5}), so that the
 *     lineage's comma-separated fields stay whole
 * @param mean per RGB channel, on the 0..1 scale
 * @param std per RGB channel, on the 0..1 scale, each above 0
 */
public record Normalisation(String name, float[] mean, float[] std) {

    /** torchvision's ImageNet mean and std. */
    public static final Normalisation IMAGENET =
            new Normalisation(
                    "imagenet",
                    new float[] {0.485f, 0.456f, 0.406f},
                    new float[] {0.229f, 0.224f, 0.225f});

    /** Plain 0..1 RGB. */
    public static final Normalisation UNIT =
            new Normalisation("unit", new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

    /** A plain decimal number: no NaN, Infinity, hex or type suffix, which Java's parser takes. */
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * Reads {@code --teacher-normalise}: {@code imagenet}, {@code unit}, or {@code R,G,B/R,G,B},
     * the mean then the std.
     *
     * @throws IllegalArgumentException one sentence naming the option and the form to give
     */
    static Normalisation parse(String value) {
        if (IMAGENET.name.equals(value)) {
            return IMAGENET;
        }
        if (UNIT.name.equals(value)) {
            return UNIT;
        }
        String[] halves = value.split("/", -1);
        float[] mean = halves.length == 2 ? rgb(halves[0]) : null;
        float[] std = halves.length == 2 ? rgb(halves[1]) : null;
        if (mean == null || std == null || !(std[0] > 0 && std[1] > 0 && std[2] > 0)) {
            throw new IllegalArgumentException(
                    "--teacher-normalise must be imagenet, unit or a mean/std R,G,B/R,G,B on the"
                            + " 0..1 scale, every number finite and every std above 0"
                            + " (0.5,0.5,0.5/0.5,0.5,0.5 for a model trained on -1..1 input), got "
                            + value);
        }
        Normalisation custom =
                new Normalisation(value.replaceAll("\\s", "").replace(',', ';'), mean, std);
        if (!custom.feedsFinite()) {
            throw new IllegalArgumentException(
                    "--teacher-normalise "
                            + value
                            + " makes inputs too large for a float; give a std nearer 1 and a"
                            + " mean nearer 0..1 (0,0,0/0.00392157,0.00392157,0.00392157 feeds raw"
                            + " 0..255 values)");
        }
        return custom;
    }

    /** Three finite numbers {@code R,G,B} as floats, or null. */
    private static float[] rgb(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            return null;
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            String number = parts[i].strip();
            if (!NUMBER.matcher(number).matches()) {
                return null;
            }
            out[i] = Float.parseFloat(number);
            if (!Float.isFinite(out[i])) {
                return null;
            }
        }
        return out;
    }

    /**
     * Whether black and white both come out finite in float arithmetic, as {@code
     * ImageTensors.toChw} computes them: a std of 1e-40 is above 0 yet gives infinite inputs, and
     * so NaN scores.
     */
    private boolean feedsFinite() {
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = mean[c] / std[c];
            if (!(Float.isFinite(255 * scale - shift) && Float.isFinite(-shift))) {
                return false;
            }
        }
        return true;
    }
}
