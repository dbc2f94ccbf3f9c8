package io.switchboard.core.access;

import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelAccessTest {

    private static final Identity ALICE = Identity.user("alice");
    private static final Identity BOB = Identity.user("bob");
    private static final Identity ANONYMOUS = Identity.ANONYMOUS;

    private final Namespace defaults = Namespace.open("", 100, Duration.ofMinutes(5));
    private final ChannelAccess access = new ChannelAccess(defaults, List.of(
            defaults.withClientPublish(true).withName("room"),
            defaults.withSubscribe(Namespace.SubscribePolicy.AUTHENTICATED).withName("members"),
            defaults.withSubscribe(Namespace.SubscribePolicy.TOKEN).withName("private")),
            Set.of("chat", "prices", "notifications"));

    private static void assertRefused(Runnable check, ErrorCode code) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ProtocolException.class,
                refusal -> assertThat(refusal.code()).isEqualTo(code));
    }

    @Test
    void anyoneSubscribesToTheDefaultNamespaceButNoClientPublishesThere() {
        assertThatCode(() -> access.checkSubscribe(ANONYMOUS, "news", false)).doesNotThrowAnyException();
        assertRefused(() -> access.checkClientPublish(ALICE, "news"), ErrorCode.FORBIDDEN);
    }

    @Test
    void clientsPublishOnlyWhereTheirNamespaceAllowsIt() {
        assertThatCode(() -> access.checkClientPublish(ANONYMOUS, "room:lobby")).doesNotThrowAnyException();
        assertRefused(() -> access.checkClientPublish(ALICE, "members:lobby"), ErrorCode.FORBIDDEN);
    }

    @Test
    void theLessonsChannelsArePublishedByTheServerOnlyWhateverTheNamespaceSays() {
        ChannelAccess permissive = new ChannelAccess(defaults.withClientPublish(true), List.of(), Set.of("chat", "prices"));
        assertThatCode(() -> permissive.checkClientPublish(ALICE, "news")).doesNotThrowAnyException();
        assertRefused(() -> permissive.checkClientPublish(ALICE, "chat"), ErrorCode.FORBIDDEN);
        assertRefused(() -> permissive.checkClientPublish(ALICE, "prices"), ErrorCode.FORBIDDEN);
    }

    @Test
    void authenticatedNamespacesRefuseAnonymousClientsWithUnauthorized() {
        assertRefused(() -> access.checkSubscribe(ANONYMOUS, "members:lobby", false), ErrorCode.UNAUTHORIZED);
        assertThatCode(() -> access.checkSubscribe(ALICE, "members:lobby", false)).doesNotThrowAnyException();
    }

    @Test
    void tokenNamespacesNeedASubscriptionTokenEvenForAuthenticatedUsers() {
        assertRefused(() -> access.checkSubscribe(ALICE, "private:x", false), ErrorCode.FORBIDDEN);
        assertRefused(() -> access.checkSubscribe(ANONYMOUS, "private:x", false), ErrorCode.UNAUTHORIZED);
        assertThatCode(() -> access.checkSubscribe(ALICE, "private:x", true)).doesNotThrowAnyException();
    }

    @Test
    void userLimitedChannelsAreOnlyForTheUsersTheyName() {
        assertThatCode(() -> access.checkSubscribe(ALICE, "user:#alice", false)).doesNotThrowAnyException();
        assertThatCode(() -> access.checkSubscribe(BOB, "dialog:#alice,bob", false)).doesNotThrowAnyException();
        assertRefused(() -> access.checkSubscribe(BOB, "user:#alice", false), ErrorCode.FORBIDDEN);
        assertRefused(() -> access.checkSubscribe(ANONYMOUS, "user:#alice", false), ErrorCode.UNAUTHORIZED);
        assertRefused(() -> access.checkSubscribe(BOB, "user:#alice", true), ErrorCode.FORBIDDEN);
    }

    @Test
    void historyFollowsTheSubscribeRuleAndPresenceNeedsASubscription() {
        assertRefused(() -> access.checkHistory(ANONYMOUS, "members:lobby", false), ErrorCode.UNAUTHORIZED);
        assertThatCode(() -> access.checkHistory(ALICE, "members:lobby", false)).doesNotThrowAnyException();
        assertRefused(() -> access.checkPresence(ALICE, "news", false), ErrorCode.FORBIDDEN);
        assertThatCode(() -> access.checkPresence(ALICE, "news", true)).doesNotThrowAnyException();
    }

    @Test
    void namespacesThatTurnHistoryOrPresenceOffRefuseThemToSubscribersToo() {
        Namespace quiet = new Namespace("quiet", Namespace.SubscribePolicy.ANYONE, false, false, false, false, 0, Duration.ZERO);
        ChannelAccess withQuiet = new ChannelAccess(defaults, List.of(quiet), Set.of());
        assertRefused(() -> withQuiet.checkHistory(ALICE, "quiet:a", true), ErrorCode.FORBIDDEN);
        assertRefused(() -> withQuiet.checkPresence(ALICE, "quiet:a", true), ErrorCode.FORBIDDEN);
    }

    @Test
    void eachNamespaceCarriesItsHistoryLimitsAndJoinLeaveChoiceToTheHub() {
        Namespace brief = new Namespace("brief", Namespace.SubscribePolicy.ANYONE, false, true, false, true, 5, Duration.ofSeconds(30));
        Namespace none = new Namespace("none", Namespace.SubscribePolicy.ANYONE, false, true, true, false, 100, Duration.ofMinutes(5));
        ChannelAccess settings = new ChannelAccess(defaults, List.of(brief, none), Set.of());

        assertThat(settings.publishOptions("brief:x")).isEqualTo(new io.switchboard.core.PublishOptions(5, Duration.ofSeconds(30)));
        assertThat(settings.publishOptions("none:x").historySize()).as("history off keeps nothing").isZero();
        assertThat(settings.publishOptions("news")).isEqualTo(new io.switchboard.core.PublishOptions(100, Duration.ofMinutes(5)));
        assertThat(settings.joinLeave("brief:x")).isFalse();
        assertThat(settings.joinLeave("news")).isTrue();
    }
}
