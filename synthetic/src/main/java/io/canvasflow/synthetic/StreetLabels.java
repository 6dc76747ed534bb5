package io.canvasflow.synthetic;

/** Label values of {@link ClassTable#SYNTHETIC}, and a small hash for per-element variation. */
final class StreetLabels {

    static final byte SKY = 0;
    static final byte ROAD = 1;
    static final byte BUILDING = 2;
    static final byte VEGETATION = 3;
    static final byte VEHICLE = 4;
    static final byte PERSON = 5;

    private StreetLabels() {}

    /** A well-mixed value in 0..1 for integer coordinates, for per-window or per-brick variety. */
    static double hash01(long seed, int a, int b) {
        long h = seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: turns nearby seeds into unrelated ones. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
