package io.canvasflow.tools.common;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collection;

/** Percentiles and means of measured values; NaN when there are none. */
public final class Stats {

    /**
     * Bytes in a MB, as every report of the tools writes it: 10^6 (decimal, as Kafka's and the
     * capacity plan's bytes per second are), not 2^20.
     */
    public static final double MB = 1e6;

    private Stats() {}

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the values
     * at or below it.
     *
     * @param values the values, in any order
     * @param p the percentile, 0 to 100
     * @return the percentile, or NaN for no values
     */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** {@link #percentile(double[], double)} of a collection. */
    public static double percentile(Collection<? extends Number> values, double p) {
        return percentile(values.stream().mapToDouble(Number::doubleValue).toArray(), p);
    }

    /**
     * The arithmetic mean.
     *
     * @param values the values
     * @return their mean, or NaN for no values
     */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }

    /** {@link #mean(double[])} of a collection. */
    public static double mean(Collection<? extends Number> values) {
        return mean(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** {@code a / b}, or NaN when either is not a finite number or {@code b} is 0. */
    public static double ratio(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b) && b != 0 ? a / b : Double.NaN;
    }

    /**
     * The machine's load average over the last minute: runnable and running threads of every
     * process, so that a figure measured on a busy machine says so.
     *
     * @return the load, or NaN where the operating system does not tell
     */
    public static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /**
     * A figure for a table: {@code decimals} places, or {@code -} when it is not a finite number
     * (NaN, or a JSON null read back).
     *
     * @param v the figure, a Number or null
     * @param decimals places after the point
     * @return the text
     */
    public static String format(Object v, int decimals) {
        return format(v, decimals, "-");
    }

    /**
     * A figure for a report: {@code decimals} places, or {@code missing} when it is not a finite
     * number.
     *
     * @param v the figure, a Number or null
     * @param decimals places after the point
     * @param missing what stands for a figure not measured ({@code n/a} in the Markdown reports)
     * @return the text
     */
    public static String format(Object v, int decimals, String missing) {
        return v instanceof Number n && Double.isFinite(n.doubleValue())
                ? String.format(java.util.Locale.ROOT, "%." + decimals + "f", n.doubleValue())
                : missing;
    }

    /** NaN and infinities are not JSON numbers: they become null. */
    public static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
