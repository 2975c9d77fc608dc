package org.danseg.metrics;

import java.util.Arrays;
import java.util.Comparator;

/** Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing their mean rank. */
public final class RankCorrelation {

    private RankCorrelation() {
    }

    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("need two equally long series of at least 2 values");
        }
        return pearson(ranks(a), ranks(b));
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** What a correlation of EN's scores with true quality means, so a score that does not rank is never shown as if it did. */
    public static String verdict(double rho) {
        if (Double.isNaN(rho)) {
            return "undefined (constant scores or Dice)";
        }
        return rho >= 0.5 ? "ranks images by quality" : rho >= 0.3 ? "ranks weakly" : "does NOT rank images by quality";
    }
}
