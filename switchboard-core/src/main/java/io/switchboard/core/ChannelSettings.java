package io.switchboard.core;

/**
 * What the hub applies per channel: the history limits each publication carries to the broker, and
 * whether join and leave pushes go out. The server's namespaces decide both; without them every
 * channel takes the hub's own limits.
 */
public interface ChannelSettings {

    /** The history limits of a publication to {@code channel}. */
    PublishOptions publishOptions(String channel);

    /** Whether subscribers of {@code channel} are told who joins and leaves. */
    boolean joinLeave(String channel);

    /** Every channel alike: {@code config}'s history limits, join and leave pushes on. */
    static ChannelSettings uniform(HubConfig config) {
        PublishOptions options = PublishOptions.of(config);
        return new ChannelSettings() {
            @Override
            public PublishOptions publishOptions(String channel) {
                return options;
            }

            @Override
            public boolean joinLeave(String channel) {
                return true;
            }
        };
    }
}
