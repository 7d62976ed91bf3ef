package dev.cidra.load.gatling;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^exponent. Thread-safe. */
final class Zipf {
    private final double[] cumulative;

    /**
     * @throws IllegalArgumentException if n is not positive or the exponent is negative
     */
    Zipf(int n, double exponent) {
        if (n < 1 || exponent < 0) {
            throw new IllegalArgumentException("need n >= 1 and exponent >= 0, not n=" + n + " exponent=" + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
    }

    int next() {
        int at = Arrays.binarySearch(cumulative, ThreadLocalRandom.current().nextDouble());
        int rank = at >= 0 ? at : -at - 1;
        return Math.min(rank, cumulative.length - 1);
    }
}
