package io.orchestry.proxy.balancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The Lua module the rendered configuration requires ({@code orchestry_balancer.lua}), shipped as a resource. */
public final class BalancerModule {
    public static final String FILE_NAME = "orchestry_balancer.lua";
    private static final String RESOURCE = "/nginx/" + FILE_NAME;

    private BalancerModule() {
    }

    /**
     * Writes the module into {@code luaFolder} ({@code NginxSettings.luaFolder()}), replacing an older copy atomically.
     * nginx's workers read it: the folder must be readable (and its parents traversable) by their user.
     *
     * @return the file written
     */
    public static Path writeTo(Path luaFolder) {
        Path target = luaFolder.resolve(FILE_NAME);
        try (InputStream in = BalancerModule.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Files.createDirectories(luaFolder);
            Path temp = Files.createTempFile(luaFolder, FILE_NAME, ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            temp.toFile().setReadable(true, false);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
