package io.switchboard.bench.peer;

/** The peer contract for Switchboard itself, so every peer in a run is held to the same behaviour. */
class SwitchboardPeerTest extends PeerContract {

    @Override
    Peer newPeer() {
        return Peers.byName("switchboard");
    }
}
