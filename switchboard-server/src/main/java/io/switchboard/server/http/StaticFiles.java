package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of a directory ({@code ServerConfig.staticDir}), served under {@code /} from the
 * same origin as the endpoints. Read once at start: each file becomes one exact GET/HEAD route,
 * so no request path ever reaches the file system.
 */
public final class StaticFiles {

    private StaticFiles() {
    }

    /** Adds a route to {@code router} for every regular file under {@code dir}. */
    public static void register(HttpRouter router, Path dir) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static directory " + dir, e);
        }
        for (Path file : files) {
            StringBuilder path = new StringBuilder();
            for (Path part : dir.relativize(file)) {
                path.append('/').append(part);
            }
            router.http(path.toString(), Set.of(HttpMethod.GET, HttpMethod.HEAD), endpoint(file));
        }
    }

    private static HttpEndpoint endpoint(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return StaticResources.serve(bytes, StaticResources.contentType(file.getFileName().toString()));
    }
}
