package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/**
 * Where things stand in a synthetic street world: a side view across a street. World units are view
 * pixels at zoom 1; the world is wider and a bit taller than the view so the camera can pan and
 * zoom. From top to bottom: sky, buildings standing on the horizon line, the far pavement, the road
 * with its lanes, the near pavement.
 */
final class SceneLayout {

    final int viewWidth;
    final int viewHeight;
    final int worldWidth;
    final int worldHeight;

    /** The line buildings stand on and the far pavement starts at. */
    final double horizon;

    final double roadTop;
    final double roadBottom;
    final int lanes;

    /** World pixels per pixel of a 192-row view: speeds and shake scale with it. */
    final double unit;

    /** Height of an adult on the near pavement (depth scale 1). */
    final double personHeight;

    SceneLayout(int viewWidth, int viewHeight, SplittableRandom rng) {
        this.viewWidth = viewWidth;
        this.viewHeight = viewHeight;
        this.worldWidth = (int) Math.ceil(viewWidth * 2.2);
        this.worldHeight = (int) Math.ceil(viewHeight * 1.25);
        this.unit = viewHeight / 192.0;
        this.horizon = worldHeight * Colors.uniform(rng, 0.42, 0.54);
        this.roadTop = horizon + worldHeight * Colors.uniform(rng, 0.035, 0.06);
        this.roadBottom = worldHeight * Colors.uniform(rng, 0.80, 0.86);
        this.lanes = 2 + rng.nextInt(3);
        this.personHeight = viewHeight * Colors.uniform(rng, 0.31, 0.36);
    }

    /** Apparent size of a thing standing at world row {@code y}, 1 on the near pavement. */
    double depthScale(double y) {
        double t = (y - horizon) / (worldHeight - horizon);
        return 0.6 + 0.45 * Math.max(0, Math.min(1, t));
    }

    double laneHeight() {
        return (roadBottom - roadTop) / lanes;
    }

    /** The row where wheels in lane {@code k} (0 = far) touch the road. */
    double laneContact(int k) {
        return roadTop + (k + 0.8) * laneHeight();
    }
}
