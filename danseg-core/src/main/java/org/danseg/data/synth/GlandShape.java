package org.danseg.data.synth;

import java.util.SplittableRandom;

/**
 * An irregular closed gland outline: an ellipse whose radius is modulated by a few low-order
 * harmonics. Benign glands are near-elliptical; malignant ones carry stronger, higher harmonics.
 * {@link #rho} is a normalized radial coordinate: below 1 inside, 1 on the outline.
 */
record GlandShape(double cx, double cy, double radius, double aspect, double rotation,
                  double[] amplitude, double[] phase, double epithelium) {

    static GlandShape random(SplittableRandom rng, double cx, double cy, double radius, boolean malignant) {
        int harmonics = malignant ? 6 : 4;
        double[] amp = new double[harmonics];
        double[] phase = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            int order = k + 2;
            double base = malignant ? 0.22 : 0.09;
            amp[k] = base * rng.nextDouble() / Math.sqrt(order - 1.0);
            phase[k] = rng.nextDouble() * 2 * Math.PI;
        }
        double aspect = 1.0 + rng.nextDouble() * (malignant ? 1.2 : 0.8);
        // Epithelium as a fraction of the radius: thicker, more crowded in malignant glands.
        double epithelium = malignant ? 0.32 + 0.2 * rng.nextDouble() : 0.22 + 0.12 * rng.nextDouble();
        return new GlandShape(cx, cy, radius, aspect, rng.nextDouble() * Math.PI, amp, phase, epithelium);
    }

    double rho(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        double cos = StrictMath.cos(rotation);
        double sin = StrictMath.sin(rotation);
        double u = (dx * cos + dy * sin) / Math.sqrt(aspect);
        double v = (-dx * sin + dy * cos) * Math.sqrt(aspect);
        double r = Math.hypot(u, v);
        double theta = StrictMath.atan2(v, u);
        return r / (radius * modulation(theta));
    }

    /** The outline's relative radius in direction {@code theta} (in the ellipse's frame). */
    double modulation(double theta) {
        double m = 1.0;
        for (int k = 0; k < amplitude.length; k++) {
            m += amplitude[k] * StrictMath.cos((k + 2) * theta + phase[k]);
        }
        return Math.max(0.45, m);
    }

    /** A point on the ellipse-frame circle at normalized radius {@code rho}, mapped back to image coordinates. */
    double[] point(double theta, double rho) {
        double r = rho * radius * modulation(theta);
        double u = r * StrictMath.cos(theta) * Math.sqrt(aspect);
        double v = r * StrictMath.sin(theta) / Math.sqrt(aspect);
        double cos = StrictMath.cos(rotation);
        double sin = StrictMath.sin(rotation);
        return new double[] {cx + u * cos - v * sin, cy + u * sin + v * cos};
    }

    /** Largest distance of the outline from the centre, for bounding boxes. */
    double extent() {
        double sum = 1.0;
        for (double a : amplitude) {
            sum += a;
        }
        return radius * sum * Math.sqrt(aspect) + 2;
    }
}
