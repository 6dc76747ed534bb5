package io.canvasflow.synthetic;

import java.util.SplittableRandom;

/** Side views of cars, vans, buses and trucks, facing +x, with windows, wheels and a shadow. */
final class VehiclePainter {

    enum Type {
        SEDAN(0.82, 2.5),
        HATCHBACK(0.86, 2.15),
        SUV(0.98, 2.6),
        VAN(1.2, 2.9),
        BUS(1.75, 6.0),
        TRUCK(1.8, 4.6);

        /** Height and length in person heights. */
        final double height;

        final double length;

        Type(double height, double length) {
            this.height = height;
            this.length = length;
        }

        static Type random(SplittableRandom rng) {
            double p = rng.nextDouble();
            if (p < 0.3) {
                return SEDAN;
            } else if (p < 0.55) {
                return HATCHBACK;
            } else if (p < 0.75) {
                return SUV;
            } else if (p < 0.87) {
                return VAN;
            } else if (p < 0.93) {
                return BUS;
            }
            return TRUCK;
        }
    }

    private static final double[] SPOKE_SIN = new double[5];
    private static final double[] SPOKE_COS = new double[5];

    static {
        for (int k = 0; k < 5; k++) {
            SPOKE_SIN[k] = StrictMath.sin(k * Math.PI / 5);
            SPOKE_COS[k] = StrictMath.cos(k * Math.PI / 5);
        }
    }

    private static final int TYRE = 0x1C1C1E;
    private static final int ARCH = 0x121214;

    private VehiclePainter() {}

    /** A body colour: mostly greys, silvers, white and black, as on real streets. */
    static int paint(SplittableRandom rng) {
        int c =
                rng.nextDouble() < 0.6
                        ? Colors.pick(rng, 0xE4E4E2, 0xACAEB2, 0x707276, 0x4E5054, 0x1E1E21)
                        : Colors.pick(
                                rng, 0x1E2D5C, 0x96161C, 0x2A52A2, 0x2A5C34, 0xC0B08C, 0xDEB62A,
                                0x5F694B, 0x783C28);
        return Colors.jitter(c, rng, 8, true);
    }

    static Sprite render(Type type, double personHeight, int body, long seed, double shadow) {
        SplittableRandom rng = new SplittableRandom(seed);
        double hgt = type.height * personHeight * Colors.uniform(rng, 0.92, 1.08);
        double len = type.length * personHeight * Colors.uniform(rng, 0.92, 1.08);
        int margin = (int) Math.ceil(len * 0.04) + 1;
        int shadowRows = (int) Math.ceil(hgt * 0.06) + 1;
        int w = (int) Math.ceil(len) + 2 * margin;
        int h = (int) Math.ceil(hgt) + shadowRows;
        Sprite s = new Sprite(w, h, w / 2, (int) Math.round(hgt) - 1, (int) (256 * (1 - shadow)));
        Shape shape =
                switch (type) {
                    case BUS -> new Bus(len, hgt, rng);
                    case TRUCK -> new Truck(len, hgt, rng);
                    default -> new Car(type, len, hgt, rng);
                };
        int glass = Colors.jitter(0x262E3A, rng, 8, false);
        int sky = 0xA5B2C4;
        int rim = rng.nextDouble() < 0.6 ? 0xAFB2B6 : 0x3C3E42;
        int ox = rng.nextInt(256);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x + 0.5 - margin;
                double py = y + 0.5;
                int c = -1;
                // Wheels first: they sit in front of the arch.
                int wheel = shape.wheel(px, py);
                if (wheel == 1) {
                    c = TYRE;
                } else if (wheel == 2) {
                    c = rim;
                } else if (wheel == 3) {
                    c = Colors.scale(rim, 0.55);
                } else {
                    Part part = shape.part(px, py);
                    if (part == Part.BODY || part == Part.STRIPE) {
                        int base = part == Part.STRIPE ? shape.stripe() : body;
                        double v = 1.12 - 0.32 * py / hgt;
                        v *= 1 + 0.025 * Textures.at(Textures.Tile.FINE, x + ox, y);
                        c = Colors.scale(base, v);
                    } else if (part == Part.GLASS) {
                        double t = Math.max(0, 1 - shape.glassDepth(py));
                        double streak = ((int) (px + py * 0.7) / 3 % 7 == 0) ? 0.15 : 0;
                        c = Colors.mix(glass, sky, 0.3 * t + streak);
                    } else if (part == Part.TRIM) {
                        c = Colors.scale(body, 0.55);
                    } else if (part == Part.DARK) {
                        c = 0x28282A;
                    } else if (part == Part.ARCH) {
                        c = ARCH;
                    } else if (part == Part.HEADLIGHT) {
                        c = 0xE8E6D2;
                    } else if (part == Part.TAILLIGHT) {
                        c = 0xAF1919;
                    }
                }
                if (c >= 0) {
                    s.put(x, y, c, Surface.SOLID);
                } else if (shadow > 0) {
                    double ex = (px - len / 2) / (len * 0.52);
                    double ey = (py - hgt) / (shadowRows + hgt * 0.03);
                    if (ex * ex + ey * ey < 1 && py > hgt * 0.7) {
                        s.put(x, y, 0, Surface.SHADOW);
                    }
                }
            }
        }
        return s;
    }

    /** What a point of a vehicle shows, which decides its colour. */
    private enum Part {
        NONE,
        BODY,
        GLASS,
        TRIM,
        ARCH,
        HEADLIGHT,
        TAILLIGHT,
        DARK,
        STRIPE
    }

    /** The part a point of a vehicle belongs to, in its own pixel coordinates (ground at hgt). */
    private abstract static class Shape {

        final double len;
        final double hgt;
        final double wheelR;
        final double[] wheelX;

        Shape(double len, double hgt, double wheelR, double... wheelFractions) {
            this.len = len;
            this.hgt = hgt;
            this.wheelR = wheelR;
            this.wheelX = new double[wheelFractions.length];
            for (int i = 0; i < wheelX.length; i++) {
                wheelX[i] = wheelFractions[i] * len;
            }
        }

        /** 0 none, 1 tyre, 2 rim, 3 hub/spoke. */
        int wheel(double px, double py) {
            double cy = hgt - wheelR;
            if (py < cy - wheelR) {
                return 0;
            }
            for (double cx : wheelX) {
                double dx = px - cx;
                double dy = py - cy;
                double d2 = dx * dx + dy * dy;
                if (d2 < wheelR * wheelR) {
                    double d = Math.sqrt(d2);
                    if (d < wheelR * 0.18) {
                        return 3;
                    }
                    if (d < wheelR * 0.6) {
                        // Five spokes through the hub (ten half-spokes), 0.075 rad wide.
                        for (int k = 0; k < 5; k++) {
                            if (Math.abs(dx * SPOKE_SIN[k] - dy * SPOKE_COS[k]) < 0.075 * d) {
                                return 3;
                            }
                        }
                        return 2;
                    }
                    return 1;
                }
            }
            return 0;
        }

        boolean inArch(double px, double py) {
            double cy = hgt - wheelR;
            if (py < cy - wheelR * 1.2) {
                return false;
            }
            for (double cx : wheelX) {
                double dx = px - cx;
                double dy = py - cy;
                if (dx * dx + dy * dy < 1.25 * wheelR * wheelR && py > cy - wheelR * 1.2) {
                    return true;
                }
            }
            return false;
        }

        abstract Part part(double px, double py);

        /** 0 at the top of the glass, 1 at its bottom, for the sky reflection. */
        abstract double glassDepth(double py);

        int stripe() {
            return 0;
        }

        static boolean roundedBox(
                double px, double py, double x0, double y0, double x1, double y1, double r) {
            if (px < x0 || px > x1 || py < y0 || py > y1) {
                return false;
            }
            double dx = Math.max(Math.max(x0 + r - px, px - (x1 - r)), 0);
            double dy = Math.max(Math.max(y0 + r - py, py - (y1 - r)), 0);
            return dx * dx + dy * dy <= r * r;
        }
    }

    /**
     * The profile of a car's cabin: the belt line as a share of the height, and where along the
     * length the rear window starts and ends and the windscreen starts and ends.
     */
    private record Cabin(
            double belt, double rearBottom, double rearTop, double frontTop, double frontBottom) {

        static Cabin of(Type type) {
            return switch (type) {
                case SEDAN -> new Cabin(0.46, 0.1, 0.28, 0.6, 0.78);
                case HATCHBACK -> new Cabin(0.46, 0.03, 0.1, 0.58, 0.77);
                case SUV -> new Cabin(0.48, 0.02, 0.05, 0.66, 0.8);
                default -> new Cabin(0.45, 0.0, 0.02, 0.84, 0.96);
            };
        }
    }

    /** Sedan, hatchback, SUV and van: a lower body and a cabin whose pillars slope. */
    private static final class Car extends Shape {
        final double roof;
        final double belt;
        final double bottom;
        final double rearBottom;
        final double rearTop;
        final double frontTop;
        final double frontBottom;
        final double pillar;
        final double bPillar;
        final boolean fourDoor;

        Car(Type type, double len, double hgt, SplittableRandom rng) {
            super(len, hgt, hgt * (type == Type.VAN ? 0.17 : 0.2), 0.17, 0.82);
            this.roof = 0;
            this.pillar = Math.max(1.2, hgt * 0.06);
            this.bottom = hgt - wheelR * 0.55;
            Cabin cabin = Cabin.of(type);
            belt = hgt * cabin.belt();
            rearBottom = cabin.rearBottom();
            rearTop = cabin.rearTop();
            frontTop = cabin.frontTop();
            frontBottom = cabin.frontBottom();
            this.bPillar = len * Colors.uniform(rng, 0.48, 0.55);
            this.fourDoor = rng.nextBoolean();
        }

        @Override
        Part part(double px, double py) {
            if (py >= belt && py <= bottom) {
                double r = (bottom - belt) * 0.35;
                if (!roundedBox(px, py, 0, belt, len, bottom, r)) {
                    return Part.NONE;
                }
                if (inArch(px, py)) {
                    return Part.ARCH;
                }
                double band = belt + (bottom - belt) * 0.2;
                if (py > band && py < band + (bottom - belt) * 0.2) {
                    if (px > len * 0.955) {
                        return Part.HEADLIGHT;
                    }
                    if (px < len * 0.035) {
                        return Part.TAILLIGHT;
                    }
                }
                if (py > bottom - (bottom - belt) * 0.2) {
                    return Part.TRIM;
                }
                if (Math.abs(px - bPillar) < 0.6
                        || (fourDoor && Math.abs(px - (bPillar - len * 0.24)) < 0.6)
                        || Math.abs(px - (bPillar + len * 0.26)) < 0.6) {
                    return Part.TRIM;
                }
                return Part.BODY;
            }
            if (py >= roof && py < belt) {
                double t = (belt - py) / (belt - roof);
                double xl = (rearBottom + (rearTop - rearBottom) * t) * len;
                double xr = (frontBottom + (frontTop - frontBottom) * t) * len;
                // Round the roof corners.
                double round = Math.max(0, t - 0.8) * 5;
                double inset = round * round * hgt * 0.06;
                xl += inset;
                xr -= inset;
                if (px < xl || px > xr) {
                    return Part.NONE;
                }
                boolean window =
                        py > roof + pillar
                                && py < belt - pillar * 0.4
                                && px > xl + pillar
                                && px < xr - pillar * 0.8
                                && Math.abs(px - bPillar) > pillar * 0.6;
                return window ? Part.GLASS : Part.BODY;
            }
            return Part.NONE;
        }

        @Override
        double glassDepth(double py) {
            return (py - roof) / (belt - roof);
        }
    }

    /** A city bus: a long rounded box with a band of windows and doors. */
    private static final class Bus extends Shape {
        final int livery;
        final double windowTop;
        final double windowBottom;
        final double bottom;
        final int bays;

        Bus(double len, double hgt, SplittableRandom rng) {
            super(len, hgt, hgt * 0.14, 0.16, 0.78);
            this.livery = paint(rng);
            this.windowTop = hgt * 0.12;
            this.windowBottom = hgt * Colors.uniform(rng, 0.45, 0.52);
            this.bottom = hgt - wheelR * 0.45;
            this.bays = 6 + rng.nextInt(3);
        }

        @Override
        Part part(double px, double py) {
            if (!roundedBox(px, py, 0, 0, len, bottom, hgt * 0.08)) {
                return Part.NONE;
            }
            if (inArch(px, py)) {
                return Part.ARCH;
            }
            double pillar = Math.max(1.2, hgt * 0.035);
            // Doors: dark glass to the floor.
            double door1 = len * 0.88;
            double door2 = len * 0.46;
            double dw = len * 0.07;
            if (py > windowTop && py < bottom - hgt * 0.06) {
                double d1 = Math.abs(px - door1);
                double d2 = Math.abs(px - door2);
                if (d1 < dw / 2 || d2 < dw / 2) {
                    return d1 < 0.7 || d2 < 0.7 ? Part.TRIM : Part.GLASS;
                }
            }
            if (py > windowTop && py < windowBottom && px > len * 0.03 && px < len * 0.985) {
                double bay = (px - len * 0.03) / (len * 0.955) * bays;
                if (Math.abs(bay - Math.rint(bay)) * len / bays > pillar) {
                    return Part.GLASS;
                }
                return Part.TRIM;
            }
            if (py > windowBottom + hgt * 0.05 && py < windowBottom + hgt * 0.11) {
                return Part.STRIPE;
            }
            if (py > bottom - hgt * 0.08) {
                return Part.DARK;
            }
            if (py > bottom - hgt * 0.2 && py < bottom - hgt * 0.14 && px > len * 0.97) {
                return Part.HEADLIGHT;
            }
            return Part.BODY;
        }

        @Override
        int stripe() {
            return livery;
        }

        @Override
        double glassDepth(double py) {
            return (py - windowTop) / (windowBottom - windowTop);
        }
    }

    /** A box truck: cargo box, a gap, a cab with a windscreen. */
    private static final class Truck extends Shape {
        final int box;
        final double chassis;

        Truck(double len, double hgt, SplittableRandom rng) {
            super(len, hgt, hgt * 0.14, 0.16, 0.34, 0.86);
            this.box = rng.nextDouble() < 0.6 ? Colors.jitter(0xE1E1DE, rng, 10, true) : paint(rng);
            this.chassis = hgt - wheelR * 1.1;
        }

        @Override
        Part part(double px, double py) {
            if (roundedBox(px, py, 0, 0, len * 0.73, chassis, hgt * 0.02)) {
                if (py > chassis - hgt * 0.04) {
                    return Part.TRIM;
                }
                return Math.abs(py - chassis * 0.5) < hgt * 0.04 ? Part.DARK : Part.STRIPE;
            }
            if (roundedBox(px, py, len * 0.75, hgt * 0.3, len, chassis + hgt * 0.02, hgt * 0.06)) {
                if (inArch(px, py)) {
                    return Part.ARCH;
                }
                if (py > hgt * 0.36 && py < hgt * 0.56 && px > len * 0.84 && px < len * 0.985) {
                    return Part.GLASS;
                }
                if (py > chassis - hgt * 0.12 && px > len * 0.985) {
                    return Part.HEADLIGHT;
                }
                return Part.BODY;
            }
            if (py > chassis - hgt * 0.02 && py < chassis + hgt * 0.07 && px > 0 && px < len) {
                return inArch(px, py) ? Part.ARCH : Part.DARK;
            }
            return Part.NONE;
        }

        @Override
        int stripe() {
            return box;
        }

        @Override
        double glassDepth(double py) {
            return (py - hgt * 0.36) / (hgt * 0.2);
        }
    }
}
