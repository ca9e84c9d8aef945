package io.orchestry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One figure of Orchestry against its baseline, both measured in the same run, round by round (seconds): medians,
 * the ratio Orchestry / baseline and the difference, and whether the target (a bound on Orchestry's median) is met.
 */
final class Comparison {
    private final String what;
    private final String baseline;
    private final double targetSeconds;
    private final List<Double> bare = new ArrayList<>();
    private final List<Double> orchestry = new ArrayList<>();

    /** @param targetSeconds the bound on Orchestry's median; NaN: none */
    Comparison(String what, String baseline, double targetSeconds) {
        this.what = what;
        this.baseline = baseline;
        this.targetSeconds = targetSeconds;
    }

    void bare(double seconds) {
        bare.add(seconds);
    }

    void orchestry(double seconds) {
        orchestry.add(seconds);
    }

    boolean empty() {
        return bare.isEmpty() || orchestry.isEmpty();
    }

    double bareMedian() {
        return Latencies.median(bare);
    }

    double orchestryMedian() {
        return Latencies.median(orchestry);
    }

    /** Two lines: each side's median and its rounds, then ratio, difference and the target's verdict. */
    String summary() {
        if (empty()) {
            return String.format(Locale.ROOT, "  %s: not measured%n", what);
        }
        double b = bareMedian();
        double o = orchestryMedian();
        String target = Double.isNaN(targetSeconds) ? ""
                : String.format(Locale.ROOT, "; target Orchestry <= %.1f s: %s", targetSeconds, o <= targetSeconds ? "met" : "NOT met");
        return String.format(Locale.ROOT, "  %s: Orchestry %.3f s %s, %s %.3f s %s%n    ratio %.2f, difference %+.3f s%s%n",
                what, o, rounds(orchestry), baseline, b, rounds(bare), o / b, o - b, target);
    }

    private static String rounds(List<Double> values) {
        StringBuilder s = new StringBuilder("[");
        for (double v : values) {
            s.append(s.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return s.append(']').toString();
    }
}
