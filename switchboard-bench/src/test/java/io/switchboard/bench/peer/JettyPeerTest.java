package io.switchboard.bench.peer;

/** The peer contract for Jetty 12. */
class JettyPeerTest extends PeerContract {

    @Override
    Peer newPeer() {
        return new JettyPeer();
    }
}
