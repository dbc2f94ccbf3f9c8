// Switchboard browser client: see docs/protocol.md. (Filled in with the channel protocol.)
