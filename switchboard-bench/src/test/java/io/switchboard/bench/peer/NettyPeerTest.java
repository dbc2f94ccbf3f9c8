package io.switchboard.bench.peer;

/** The peer contract for plain Netty. */
class NettyPeerTest extends PeerContract {

    @Override
    Peer newPeer() {
        return new NettyPeer();
    }
}
