package io.orchestry.scaler;

import io.micronaut.runtime.Micronaut;

/** The scaler service: scaling policies, metric samples, decisions and recommendations. */
public final class ScalerApplication {
    private ScalerApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(ScalerApplication.class).start();
    }
}
