package io.canvasflow.model;

import java.util.List;

/**
 * The outcome of segmenting one frame.
 *
 * @param map the class map
 * @param canvas the canvas after the last iteration (seed it into the next frame)
 * @param iterationMaps the class map after each iteration, the last one equal to {@code map}, if
 *     requested, else empty
 * @param iterations iterations run
 * @param seeded whether a seed canvas was used
 * @param cost what the frame cost
 */
public record SegmentationResult(
        ClassMap map,
        Canvas canvas,
        List<ClassMap> iterationMaps,
        int iterations,
        boolean seeded,
        Cost cost) {

    /**
     * The class map.
     *
     * @param indices class index per pixel, row-major {@code height x width}
     * @param width class map width
     * @param height class map height
     */
    public record ClassMap(byte[] indices, int width, int height) {}

    /**
     * What a frame cost.
     *
     * @param backboneMillis time spent in the backbone
     * @param iterationMillis time spent in each iteration
     * @param totalMillis time of the whole call, including pre- and post-processing
     * @param gflops analytic GFLOPs spent on this frame (see {@link CostModel})
     */
    public record Cost(
            double backboneMillis, double[] iterationMillis, double totalMillis, double gflops) {}

    /** Time spent in the network: backbone plus iterations. */
    public double modelMillis() {
        double sum = cost.backboneMillis();
        for (double ms : cost.iterationMillis()) {
            sum += ms;
        }
        return sum;
    }

    /** Share of pixels of each class. */
    public float[] classFractions(int classes) {
        long[] counts = new long[classes];
        byte[] classMap = map.indices();
        for (byte b : classMap) {
            counts[b & 0xff]++;
        }
        float[] out = new float[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = (float) counts[c] / classMap.length;
        }
        return out;
    }
}
