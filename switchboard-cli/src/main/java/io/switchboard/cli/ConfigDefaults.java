package io.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where option values come from when the command line does not give them, strongest first:
 * an environment variable {@code SWITCHBOARD_<OPTION>} ({@code --max-poll-wait} reads
 * {@code SWITCHBOARD_MAX_POLL_WAIT}), then the config file ({@code max-poll-wait = 30s}, a
 * properties file named by {@code --config} or {@code SWITCHBOARD_CONFIG}), then the embedded default.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private final Map<String, String> env;
    private final Properties file = new Properties();

    ConfigDefaults(Map<String, String> env, Path configFile) {
        this.env = env;
        if (configFile != null) {
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + configFile + ": " + e.getMessage(), e);
            }
        }
    }

    /** The config file named by {@code SWITCHBOARD_CONFIG}, or null. */
    static Path configFileFrom(Map<String, String> env) {
        String path = env.get("SWITCHBOARD_CONFIG");
        return path == null || path.isBlank() ? null : Path.of(path);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        // Switches are named positively (--[no-]demo is configured as demo = false).
        return lookup(option.longestName().replaceFirst("^--", ""));
    }

    private String lookup(String name) {
        String value = env.get("SWITCHBOARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (value != null) {
            return value;
        }
        value = file.getProperty(name);
        return value == null ? null : value.trim();
    }
}
