package io.switchboard.bench.peer;

/** The peer contract for the lesson's Node.js server. */
class NodeLessonPeerTest extends PeerContract {

    @Override
    Peer newPeer() {
        return new NodeLessonPeer();
    }
}
