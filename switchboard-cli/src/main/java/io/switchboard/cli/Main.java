package io.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.Map;

/** The {@code switchboard} command. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Switchboard: a real-time messaging server (WebSocket, Server-Sent Events, long and short polling).",
        subcommands = {ServeCommand.class, TokenCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line with every subcommand, as {@code bin/switchboard} runs it. The config file
     * ({@code --config FILE} in {@code args}, else {@code SWITCHBOARD_CONFIG}) is read first, since
     * it supplies the defaults of every other option.
     */
    public static CommandLine commandLine(String... args) {
        return commandLine(System.getenv(), args);
    }

    /** The command line with {@code env} standing for the process's environment variables. */
    static CommandLine commandLine(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new Main());
        Path config = ConfigDefaults.configFileFrom(env);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            }
        }
        cli.setDefaultValueProvider(new ConfigDefaults(env, config));
        return cli;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "development build" : version)};
        }
    }
}
