package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/** A hand-held camera: a steady pan that bounces off the world's ends, slow zoom, small shake. */
final class CameraPath {

    private final double zoom;
    private final double zoomAmp;
    private final double zoomFreq;
    private final double zoomPhase;
    private final double panStart;
    private final double panSpeed;
    private final double horizonAt;
    private final double tiltAmp;
    private final double tiltFreq;
    private final double tiltPhase;
    private final double shake;
    private final double shakeF1;
    private final double shakeF2;
    private final double shakeP1;
    private final double shakeP2;
    private final double jitter;

    CameraPath(SceneLayout l, SplittableRandom rng) {
        zoom = Colors.uniform(rng, 1.0, 1.2);
        zoomAmp = Colors.uniform(rng, 0, 0.08);
        zoomFreq = 2 * Math.PI / Colors.uniform(rng, 40, 160);
        zoomPhase = rng.nextDouble() * 2 * Math.PI;
        panStart = rng.nextDouble() * l.worldWidth;
        panSpeed = (rng.nextBoolean() ? 1 : -1) * Colors.uniform(rng, 0.3, 3.0) * l.unit;
        horizonAt = Colors.uniform(rng, 0.45, 0.66);
        tiltAmp = Colors.uniform(rng, 0, 0.04) * l.viewHeight;
        tiltFreq = 2 * Math.PI / Colors.uniform(rng, 30, 120);
        tiltPhase = rng.nextDouble() * 2 * Math.PI;
        shake = rng.nextDouble() < 0.6 ? Colors.uniform(rng, 0.2, 1.5) * l.unit : 0;
        shakeF1 = Colors.uniform(rng, 0.5, 1.5);
        shakeF2 = Colors.uniform(rng, 1.5, 3.0);
        shakeP1 = rng.nextDouble() * 2 * Math.PI;
        shakeP2 = rng.nextDouble() * 2 * Math.PI;
        jitter = shake * 0.3;
    }

    double panSpeed() {
        return panSpeed;
    }

    /** Writes zoom, and the world position of the view's top-left corner, for time {@code t}. */
    void at(double t, SceneLayout l, long frameSeed, double[] out) {
        double z = zoom + zoomAmp * (0.5 + 0.5 * StrictMath.sin(zoomFreq * t + zoomPhase));
        double halfW = l.viewWidth / (2 * z);
        double halfH = l.viewHeight / (2 * z);
        double lo = halfW + 1;
        double span = l.worldWidth - 1 - halfW - lo;
        double p = panStart + panSpeed * t - lo;
        p -= 2 * span * Math.floor(p / (2 * span));
        double cx = lo + (p < span ? p : 2 * span - p);
        double cy =
                l.horizon
                        + (0.5 - horizonAt) * 2 * halfH
                        + tiltAmp * StrictMath.sin(tiltFreq * t + tiltPhase);
        double jx = (StreetLabels.hash01(frameSeed, 1, 0) - 0.5) * 2 * jitter;
        double jy = (StreetLabels.hash01(frameSeed, 2, 0) - 0.5) * 2 * jitter;
        cx += shake * StrictMath.sin(shakeF1 * t + shakeP1) + jx;
        cy += shake * 0.7 * StrictMath.sin(shakeF2 * t + shakeP2) + jy;
        cx = Math.max(halfW + 1, Math.min(l.worldWidth - 1 - halfW, cx));
        cy = Math.max(halfH + 1, Math.min(l.worldHeight - 1 - halfH, cy));
        out[0] = z;
        out[1] = cx - halfW;
        out[2] = cy - halfH;
    }
}
